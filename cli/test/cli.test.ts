import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const tandem = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--conditions=@tandem/source', join(root, 'cli/src/bin.ts'), ...args], { cwd: dir, env: { ...process.env, ...env } })

describe('tandem CLI', () => {
  it('keys create | list | revoke against a SQLite database', async () => {
    const db = `sqlite:${join(dir, 'keys.db')}`
    const created = await tandem(['keys', 'create', '--label', 'ci', '--database-url', db])
    const key = created.stdout.match(/sk_test_\S+/)![0]
    const id = created.stdout.match(/key_[0-9a-f]{12}/)![0]
    const listed = await tandem(['keys', 'list', '--database-url', db])
    expect(listed.stdout).toContain(id)
    expect(listed.stdout).toContain('active')
    expect(listed.stdout).not.toContain(key) // stored hashed, shown once
    await tandem(['keys', 'revoke', id, '--database-url', db])
    expect((await tandem(['keys', 'list', '--database-url', db])).stdout).toMatch(new RegExp(`${id}.*revoked`))
    await expect(tandem(['keys', 'revoke', 'key_nope', '--database-url', db])).rejects.toMatchObject({ code: 1 })
  })

  it('schema push adds a field with a default to a populated database and refuses a required field without one', async () => {
    const db = `sqlite:${join(dir, 'push.db')}`
    // Schema files import @tandem/core: they live inside the repo so the package resolves.
    const local = (name: string) => join(root, 'cli/test', `.tmp-${name}`)
    const head = `import { defineSchema, model, z } from '@tandem/core/schema'\nexport const schema = defineSchema({ notes: model({ text: z.string()`
    writeFileSync(local('v1.ts'), `${head} }) })\n`)
    writeFileSync(local('v2.ts'), `${head}, pinned: z.boolean().default(false) }) })\n`)
    writeFileSync(local('v3.ts'), `${head}, pinned: z.boolean().default(false), owner: z.string() }) })\n`)
    try {
      await tandem(['schema', 'push', '--schema', local('v1.ts'), '--database-url', db])
      const { DatabaseSync } = await import('node:sqlite')
      const raw = new DatabaseSync(join(dir, 'push.db'))
      raw.exec(`INSERT INTO "notes" ("id", "createdAt", "updatedAt", "syncId", "text") VALUES ('n1', 'c', 'u', 1, 'kept')`)
      raw.close()
      expect((await tandem(['schema', 'push', '--schema', local('v2.ts'), '--database-url', db])).stdout).toContain('added column notes.pinned')
      const check = new DatabaseSync(join(dir, 'push.db'))
      expect(check.prepare('SELECT "text", "pinned" FROM "notes"').all()).toEqual([{ text: 'kept', pinned: 0 }])
      check.close()
      const refused = await tandem(['schema', 'push', '--schema', local('v3.ts'), '--database-url', db]).catch((e: { stderr: string; code: number }) => e)
      expect(refused).toMatchObject({ code: 1 })
      expect((refused as { stderr: string }).stderr).toMatch(/notes\.owner.*without a default/)
    } finally {
      for (const f of ['v1.ts', 'v2.ts', 'v3.ts']) rmSync(local(f), { force: true })
    }
  })
})
