/** @module Hold the stores' commit lock from a second connection, to catch a store transaction while it waits for it. */
import postgres from 'postgres'
import { expect } from 'vitest'
import { commitLockKey } from '../src/postgres/sql-text.ts'

export interface HeldCommitLock {
  /** End the backend that waits for the lock (the store's), once Postgres shows it waiting. */
  terminateWaiter(): Promise<void>
  release(): Promise<void>
}

export async function holdCommitLock(url: string): Promise<HeldCommitLock> {
  const other = postgres(url, { max: 2, onnotice: () => {} })
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let locked!: () => void
  const isLocked = new Promise<void>((resolve) => (locked = resolve))
  const holder = other.begin(async (sql) => {
    await sql`SELECT pg_advisory_xact_lock(${commitLockKey}::bigint)`
    locked()
    await held
  })
  await isLocked
  return {
    async terminateWaiter() {
      // Postgres has no event for "a backend started waiting": poll its activity view (bounded).
      let pid: number | undefined
      for (let i = 0; i < 200 && pid === undefined; i++) {
        const [row] = await other`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`
        pid = row?.['pid'] as number | undefined
        if (pid === undefined) await new Promise((r) => setTimeout(r, 10))
      }
      expect(pid).toBeDefined()
      await other`SELECT pg_terminate_backend(${pid!})`
    },
    async release() {
      release()
      await holder
      await other.end({ timeout: 1 })
    },
  }
}
