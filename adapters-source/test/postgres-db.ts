/** @module Test helper: a throwaway Postgres database per test run (CI must have Postgres; elsewhere the tests skip). */
import { randomBytes } from 'node:crypto'
import type { Schema } from '@tandem/core/schema'
import { postgresStore, type PostgresStore } from '@tandem/sources'
import postgres from 'postgres'

/** The server the tests use; its database is only used to create and drop throwaway ones. */
export const adminUrl = process.env['TANDEM_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

const quiet = { onnotice: () => {} }

/**
 * True when Postgres answers. When it does not: throws under CI=true (the
 * tests must fail, not vanish), else warns and returns false so they skip.
 */
export async function postgresAvailable(): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, ...quiet })
  try {
    await sql`SELECT 1`
    return true
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`Postgres is not reachable at ${adminUrl}; CI=true requires it`, { cause: error })
    console.warn(`Postgres is not reachable at ${adminUrl} (${(error as Error).message}): skipping the Postgres tests`)
    return false
  } finally {
    await sql.end({ timeout: 1 })
  }
}

export interface TestDatabase {
  name: string
  url: string
  /** Empty the database (drop and recreate the public schema). */
  reset(): Promise<void>
  /** Run SQL directly against the test database. */
  exec(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, ...quiet })
  await admin.unsafe(`CREATE DATABASE "${name}"`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const sql = postgres(url.toString(), { max: 1, ...quiet })
  return {
    name,
    url: url.toString(),
    async reset() {
      await sql.unsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
    },
    async exec(text, params = []) {
      return [...(await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]))]
    },
    async drop() {
      await sql.end({ timeout: 1 })
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end({ timeout: 1 })
    },
  }
}

/**
 * A throwaway database for the enclosing `describe`: created before its tests,
 * dropped after them, optionally emptied before each test.
 */
export function useTestDatabase(
  hooks: { beforeAll(fn: () => Promise<void>): void; afterAll(fn: () => Promise<void>): void; beforeEach(fn: () => Promise<void>): void },
  { resetEach = false } = {},
): () => TestDatabase {
  let db: TestDatabase | undefined
  hooks.beforeAll(async () => {
    db = await createTestDatabase()
  })
  hooks.afterAll(async () => {
    await db?.drop()
  })
  if (resetEach) hooks.beforeEach(async () => db?.reset())
  return () => db!
}

/** An emptied database and a `postgresStore` opened on it with `schema` for each test of the enclosing `describe`, closed after it. */
export function useTestStore(
  schema: Schema,
  hooks: {
    beforeAll(fn: () => Promise<void>): void
    afterAll(fn: () => Promise<void>): void
    beforeEach(fn: () => Promise<void>): void
    afterEach(fn: () => Promise<void>): void
  },
): { database: () => TestDatabase; store: () => PostgresStore } {
  const database = useTestDatabase(hooks, { resetEach: true })
  let store: PostgresStore | undefined
  hooks.beforeEach(async () => {
    store = postgresStore({ url: database().url, max: 3 })
    await store.open(schema)
  })
  hooks.afterEach(async () => {
    await store?.close()
  })
  return { database, store: () => store! }
}
