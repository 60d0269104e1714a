/** `tandem schema push` prints what it changed (tables, columns, indexes), and "up to date" only when nothing did: on SQLite and on Postgres. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresReachable, throwawayDatabase } from './postgres-db.ts'

const root = resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-push-'))
// Schema files import @tandem/core: they live inside the repo so the package resolves.
const schemaFile = (name: string) => join(root, 'cli/test', `.tmp-push-${process.pid}-${name}.ts`)
const head = `import { defineSchema, model, z } from '@tandem/core/schema'\nexport const schema = defineSchema({ notes: model({ text: z.string()`
writeFileSync(schemaFile('v1'), `${head} }) })\n`)
writeFileSync(schemaFile('v2'), `${head}, pinned: z.boolean().default(false) }, { indexes: ['pinned'] }) })\n`)
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  for (const v of ['v1', 'v2']) rmSync(schemaFile(v), { force: true })
})

const push = async (version: string, databaseUrl: string) =>
  (
    await promisify(execFile)(process.execPath, [
      '--conditions=@tandem/source',
      join(root, 'cli/src/bin.ts'),
      'schema',
      'push',
      '--schema',
      schemaFile(version),
      '--database-url',
      databaseUrl,
    ])
  ).stdout

async function pushesReportChanges(databaseUrl: string, kind: string) {
  const created = await push('v1', databaseUrl)
  expect(created).toContain('added table notes')
  expect(created).not.toContain('up to date')
  expect(await push('v1', databaseUrl)).toContain(`The ${kind} store is up to date: notes`)
  const added = await push('v2', databaseUrl)
  expect(added).toContain('added column notes.pinned')
  expect(added).toContain('added index notes_pinned_idx')
  expect(added).not.toContain('up to date')
  expect(await push('v2', databaseUrl)).toContain('up to date')
}

describe('tandem schema push reports what changed', () => {
  it('on SQLite', async () => {
    await pushesReportChanges(`sqlite:${join(dir, 'push.db')}`, 'sqlite')
  })
})

describe.skipIf(!(await postgresReachable()))('tandem schema push reports what changed on Postgres', () => {
  const { url } = throwawayDatabase()

  it('on Postgres', async () => {
    await pushesReportChanges(url.toString(), 'postgres')
  })
})
