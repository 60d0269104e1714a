/**
 * Import rules of the house (architecture.md): no deep imports into another
 * package, no relative paths leaving a package, core's client never imports
 * the server or Node built-ins, core never imports its extensions, webhooks
 * imports only core, sources import only core and `@tandem/webhooks/signing`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const packages = [
  'core',
  'adapters/react',
  'adapters/vue',
  'adapters/svelte',
  'webhooks',
  'agents',
  'adapters-source',
  'cli',
  'playground',
  'docs',
  'bench',
  'test-browser',
]
const problems: string[] = []

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (/\.(ts|tsx|vue|svelte)$/.test(name)) yield path
  }
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm
const browserSafe = [
  'core/src/client',
  'core/src/transport',
  'core/src/protocol',
  'core/src/schema',
  'core/src/errors',
  'core/src/internal',
  'core/src/index.ts',
  'webhooks/src/signing.ts',
]
// Which other Tandem packages a package may import (its own name is always allowed).
const allowedTandemImports: Record<string, RegExp> = {
  webhooks: /^@tandem\/(core|webhooks)(\/|$)/,
  // Agent tooling stands on the public client alone.
  agents: /^@tandem\/(core(\/|$)|agents\/)/,
  'adapters-source': /^@tandem\/(core(\/|$)|sources(\/|$)|webhooks\/signing$)/,
  // Bindings stand on core alone (their component tests also use the private browser harness).
  'adapters/react': /^@tandem\/(core(\/|$)|react$|test-browser$)/,
  'adapters/vue': /^@tandem\/(core|vue|test-browser)(\/|$)/,
  'adapters/svelte': /^@tandem\/(core|svelte|test-browser)(\/|$)/,
}

for (const pkg of packages) {
  const dir = join(root, pkg)
  try {
    statSync(dir)
  } catch {
    continue
  }
  for (const file of files(dir)) {
    const rel = relative(root, file).split(sep).join('/')
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3]!
      if (/^@tandem\/[^/]+\/src\//.test(spec) || /^tandem\/src\//.test(spec)) problems.push(`${rel}: deep import "${spec}" (use the package's exports)`)
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(file, '..', spec))
          .split(sep)
          .join('/')
        if (!target.startsWith(`${pkg}/`)) problems.push(`${rel}: relative import "${spec}" leaves the package ${pkg}`)
        if (rel.startsWith('core/src/client') && target.startsWith('core/src/server')) problems.push(`${rel}: client imports server ("${spec}")`)
        if (rel.startsWith('core/src/server') && target.startsWith('core/src/client')) problems.push(`${rel}: server imports client ("${spec}")`)
      }
      if (browserSafe.some((p) => rel.startsWith(p)) && (spec.startsWith('node:') || spec === 'ws' || spec.startsWith('@hono/node-server'))) {
        problems.push(`${rel}: browser-safe code imports "${spec}"`)
      }
      if (rel.startsWith('core/') && /^@tandem\/(sources|webhooks|agents|react|vue|svelte)|^tandem$/.test(spec))
        problems.push(`${rel}: core imports its extension "${spec}"`)
      const allowed = allowedTandemImports[pkg]
      if (allowed && (/^@tandem\//.test(spec) || spec === 'tandem') && !allowed.test(spec)) problems.push(`${rel}: ${pkg} may not import "${spec}"`)
    }
  }
}

if (problems.length) {
  console.error(`Import rules broken:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('imports ok')
