/** llms.txt stays a true map of the public API: every name a public entry point exports is in it, every page it links exists. */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const text = readFileSync(join(root, 'llms.txt'), 'utf8')

/** Every public package's entry points (its exports map, on source). */
function entryPoints(): Array<{ name: string; file: string }> {
  const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces
  return workspaces.flatMap((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string
      private?: boolean
      exports?: Record<string, Record<string, string>>
    }
    if (pkg.private || !pkg.exports) return []
    return Object.entries(pkg.exports)
      .filter(([sub, target]) => sub !== './package.json' && target['@tandem/source'])
      .map(([sub, target]) => ({ name: pkg.name + sub.slice(1), file: join(root, dir, target['@tandem/source']!) }))
  })
}

/** Names (values and types) each entry point exports, as the TypeScript checker sees them. */
function exportedNames(entries: Array<{ name: string; file: string }>): Map<string, string[]> {
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      allowImportingTsExtensions: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['@tandem/source'],
      jsx: ts.JsxEmit.ReactJSX,
      skipLibCheck: true,
    },
  )
  const checker = program.getTypeChecker()
  return new Map(
    entries.map(({ name, file }) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)
      return [name, module ? checker.getExportsOfModule(module).map((s) => s.name) : []]
    }),
  )
}

describe('llms.txt', () => {
  it('names every export of every public entry point', () => {
    const entries = entryPoints()
    expect(entries.length).toBeGreaterThan(10)
    const missing: string[] = []
    for (const [entry, names] of exportedNames(entries)) {
      if (!text.includes(entry.replace(/^tandem\//, 'tandem/'))) missing.push(`the entry point ${entry}`)
      for (const name of names) if (name !== 'default' && !new RegExp(`\\b${name}\\b`).test(text)) missing.push(`${entry}: ${name}`)
    }
    expect(missing, `Add these to llms.txt:\n${missing.join('\n')}`).toEqual([])
  }, 60_000)

  it('links only pages that exist', () => {
    const links = [...text.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!)
    expect(links.length).toBeGreaterThan(10)
    expect(links.filter((link) => !existsSync(join(root, link)))).toEqual([])
  })
})
