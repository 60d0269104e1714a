/** @module The store conformance suite against every store: memory, sqlite (a temp file per test), postgres (a database per run). */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryStore, postgresStore, sqliteStore } from '@tandem/sources'
import { describeStoreConformance } from '@tandem/sources/conformance'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './postgres-db.ts'

const runner = { describe, it, expect, beforeEach, afterEach }

// The memory store writes through to its maps, so reads outside a transaction see uncommitted rows.
describeStoreConformance('memory', () => memoryStore(), runner)

describe('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-conformance-'))
  let n = 0
  let last = ''
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  describeStoreConformance('sqlite', () => sqliteStore({ path: (last = join(dir, `store-${++n}.db`)) }), runner, {
    reopen: () => sqliteStore({ path: last }),
  })
})

const withPostgres = await postgresAvailable()

describe.skipIf(!withPostgres)('postgres', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })
  describeStoreConformance(
    'postgres',
    async () => {
      await db.reset()
      return postgresStore({ url: db.url })
    },
    runner,
    { reopen: () => postgresStore({ url: db.url }) },
  )
})
