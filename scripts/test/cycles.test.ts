/** @module The cycle check of `npm run lint` (dependency-cruiser's no-circular) catches a cycle, type-only imports included. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
// Inside the repo, so the repo's tsconfig and config apply as they do to real code.
const dir = mkdtempSync(join(root, '.tmp-cycles-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cruise(): { status: number | null; out: string } {
  const run = spawnSync('depcruise', [dir, '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8' })
  return { status: run.status, out: run.stdout + run.stderr }
}

describe('import cycle check', () => {
  it('passes a one-way graph', () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.ts'\nexport const a = b + 1\n")
    writeFileSync(join(dir, 'b.ts'), 'export const b = 1\n')
    expect(cruise().status).toBe(0)
  })

  it('refuses a cycle made of a type-only import', () => {
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.ts'\nexport const b = 1\nexport type B = A\n")
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.ts'\nexport const a = b + 1\nexport type A = number\n")
    const { status, out } = cruise()
    expect(status).not.toBe(0)
    expect(out).toContain('no-circular')
  })
})
