/** @module Test helper: the Postgres the CLI tests use, and a throwaway database per describe block. */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'

export const adminUrl = process.env['TANDEM_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const quiet = { onnotice: () => {} }

/** True when Postgres answers; under CI=true an unreachable Postgres throws (the tests must fail, not skip). */
export async function postgresReachable(): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, ...quiet })
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

/** Call inside a describe: a database created before its tests and dropped after; `url` names it. */
export function throwawayDatabase(): { name: string; url: string } {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, ...quiet })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  beforeAll(async () => void (await admin.unsafe(`CREATE DATABASE "${name}"`)))
  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end({ timeout: 1 })
  })
  return { name, url: url.toString() }
}
