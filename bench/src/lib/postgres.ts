/**
 * @module A throwaway Postgres database per run, created on the local
 * server (`TANDEM_BENCH_POSTGRES_URL`, default
 * postgres://postgres@127.0.0.1:5432/test) and dropped afterwards; null
 * when Postgres does not answer, so the scenario prints "skipped".
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

export const adminUrl = process.env['TANDEM_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const quiet = { onnotice: () => {} }

export interface BenchDatabase {
  name: string
  url: string
  /** Server settings that decide what a commit costs. */
  settings: { version: string; synchronousCommit: string; fsync: string }
  drop(): Promise<void>
}

/** Create a fresh database, or return null (with the reason) if Postgres is unreachable. */
export async function createBenchDatabase(): Promise<BenchDatabase | { unavailable: string }> {
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 3, ...quiet })
  let settings: BenchDatabase['settings']
  try {
    const [row] = await admin`SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc, current_setting('fsync') AS f`
    settings = { version: String(row!['v']), synchronousCommit: String(row!['sc']), fsync: String(row!['f']) }
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined)
    return { unavailable: error instanceof Error ? error.message : String(error) }
  }
  const name = `tandem_bench_${randomBytes(6).toString('hex')}`
  await admin.unsafe(`CREATE DATABASE "${name}"`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    settings,
    async drop() {
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.end({ timeout: 1 })
      }
    },
  }
}
