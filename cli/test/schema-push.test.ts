/** `tandem schema push` prints what it changed (tables, columns, indexes), and "up to date" only when nothing did: on SQLite and on Postgres. */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

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

const adminUrl = process.env['TANDEM_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
async function reachable(): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return true
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`Postgres is not reachable at ${adminUrl}; CI=true requires it`, { cause: error })
    return false
  } finally {
    await sql.end({ timeout: 1 })
  }
}

describe.skipIf(!(await reachable()))('tandem schema push reports what changed on Postgres', () => {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  beforeAll(async () => void (await admin.unsafe(`CREATE DATABASE "${name}"`)))
  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end({ timeout: 1 })
  })

  it('on Postgres', async () => {
    await pushesReportChanges(url.toString(), 'postgres')
  })
})
