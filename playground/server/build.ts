/**
 * @module Builds the playground's static files with Vite when they are missing or stale: a hash of every input
 * (the app's sources, the bindings' and core's sources, the lockfile) is kept next to the build and compared.
 */
import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join, resolve } from 'node:path'

export const playgroundDir = resolve(import.meta.dirname, '..')
export const distDir = join(playgroundDir, 'dist')
const repoRoot = resolve(playgroundDir, '..')
const hashFile = join(distDir, '.inputs-hash')

// What the page is built from: a change in any of these makes the build stale.
const inputs = [
  'playground/index.html',
  'playground/vite.config.ts',
  'playground/src',
  'core/src',
  'adapters/react/src',
  'adapters/vue/src',
  'adapters/svelte/src',
  'package-lock.json',
]

function* walk(path: string): Generator<string> {
  if (!existsSync(path)) return
  if (!statSync(path).isDirectory()) return yield path
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue
    yield* walk(join(path, name))
  }
}

/** A hash of the build's inputs: paths and contents. */
export function inputsHash(): string {
  const hash = createHash('sha256')
  for (const input of inputs)
    for (const file of walk(join(repoRoot, input))) {
      hash.update(file.slice(repoRoot.length))
      hash.update(readFileSync(file))
    }
  return hash.digest('hex')
}

export function buildIsFresh(): boolean {
  return existsSync(join(distDir, 'index.html')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === inputsHash()
}

/**
 * Build unless the build on disk matches the sources. Resolves to whether it built. Several processes may ask at
 * once (a test run's files, two `npm start`s): a lock file lets one build, into a fresh folder moved into place, while
 * the others wait and find the build fresh.
 */
export async function ensurePlaygroundBuild(options: { log?: (line: string) => void } = {}): Promise<boolean> {
  const lock = join(playgroundDir, '.build-lock')
  for (;;) {
    if (buildIsFresh()) return false
    try {
      closeSync(openSync(lock, 'wx'))
      break
    } catch {
      // Another process is building; a lock older than two minutes is from one that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true })
      await sleep(100)
    }
  }
  try {
    if (buildIsFresh()) return false
    options.log?.('Building the playground (its sources changed since the last build)…')
    const hash = inputsHash()
    const out = join(playgroundDir, `.dist-${process.pid}`)
    const { build } = await import('vite')
    await build({ root: playgroundDir, configFile: join(playgroundDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true } })
    writeFileSync(join(out, '.inputs-hash'), hash)
    const old = join(playgroundDir, `.dist-old-${process.pid}`)
    if (existsSync(distDir)) renameSync(distDir, old)
    renameSync(out, distDir)
    rmSync(old, { recursive: true, force: true })
    return true
  } finally {
    rmSync(lock, { force: true })
  }
}
