/**
 * @module postgresStore sends a transaction's writes without waiting for
 * their answers (pipelined). A write that fails must still fail where it did
 * when every statement was awaited: its savepoint (rolled back alone, and
 * rejected) or, without a savepoint, the whole transaction, even when it is
 * the last statement before the savepoint ends or COMMIT goes out. Also the
 * postgres.js behaviours pipelining must steer around: statements first used
 * on the connection, values it serializes itself, a statement it re-sends,
 * and a connection lost mid-transaction.
 */
import type { LogEntry } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import type { IdempotencyRecord, StoredRow } from '@tandem/core/server'
import type { PostgresStore } from '@tandem/sources'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { holdCommitLock } from './commit-lock.ts'
import { postgresAvailable, useTestStore } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const t0 = '2024-05-01T12:00:00.000Z'

const schema = defineSchema({
  items: model({
    title: z.string(),
    status: z.enum(['todo', 'done']).default('todo'),
    flags: z.array(z.boolean()).optional(),
    extra: z.unknown().optional(),
  }),
})

const item = (id: string, fields: Record<string, unknown> = {}): StoredRow => ({
  row: { id, createdAt: t0, updatedAt: t0, syncId: 1, title: `title ${id}`, status: 'todo', ...fields },
  groups: ['g1'],
})
const entry = (syncId: number): LogEntry =>
  ({ syncId, txId: `tx_${syncId}`, actor: { id: 'u', kind: 'human' }, stale: false, createdAt: t0, changes: [] }) as LogEntry
const idem = (key: string): IdempotencyRecord => ({
  scope: 'sk',
  key,
  hash: 'h',
  result: { object: 'commit', syncId: 1, stale: false, rows: [] },
  createdAt: t0,
})

/** A Postgres error with this SQLSTATE code. */
const pgError = (code: string) => expect.objectContaining({ name: 'PostgresError', code })

describe.skipIf(!withPostgres)('postgresStore: pipelined writes', () => {
  const { database, store: current } = useTestStore(schema, { beforeAll, afterAll, beforeEach, afterEach })
  let store: PostgresStore
  beforeEach(() => {
    store = current()
  })

  it('a write that fails inside a savepoint (as its last statement) rolls back that savepoint only, and rejects it', async () => {
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('a'))
      await tx.appendLog(entry(1))
      // NOT NULL: the title of a raw StoredRow.
      await expect(
        tx.savepoint(async () => {
          await tx.putRow('items', item('b'))
          await tx.putRow('items', item('bad', { title: null }))
        }),
      ).rejects.toEqual(pgError('23502'))
      // CHECK: an enum value outside the list, with writes sent after it.
      await expect(
        tx.savepoint(async () => {
          await tx.putRow('items', item('c'))
          await tx.putRow('items', item('bad', { status: 'lost' }))
          await tx.putIdempotency(idem('k-c'))
          await tx.deleteRow('items', 'a')
        }),
      ).rejects.toEqual(pgError('23514'))
      // A wrong syncId: refused by the log insert itself.
      await expect(
        tx.savepoint(async () => {
          await tx.putRow('items', item('d'))
          await tx.appendLog(entry(3))
        }),
      ).rejects.toThrow('postgresStore: syncId 3 is not the log head + 1')
      // The transaction goes on; reads see exactly what is left.
      expect(await tx.getRow('items', 'b')).toBeNull()
      expect(await tx.getRow('items', 'c')).toBeNull()
      expect(await tx.getRow('items', 'd')).toBeNull()
      expect(await tx.getRow('items', 'a')).not.toBeNull()
      expect(await tx.getIdempotency('sk', 'k-c')).toBeNull()
      expect(await tx.headSyncId()).toBe(1)
      const value = await tx.savepoint(async () => {
        await tx.putRow('items', item('e'))
        await tx.appendLog(entry(2))
        return 'kept'
      })
      expect(value).toBe('kept')
    })
    expect((await store.readLog(0, 10)).map((e) => e.syncId)).toEqual([1, 2])
    for (const id of ['a', 'e']) expect(await store.getRow('items', id)).not.toBeNull()
    for (const id of ['b', 'c', 'd', 'bad']) expect(await store.getRow('items', id)).toBeNull()
  })

  it('a write that fails in a transaction without savepoints rolls back everything, with that write’s error', async () => {
    // The failing write is followed by more writes, then COMMIT: the first failure is the one reported.
    await expect(
      store.transaction(async (tx) => {
        await tx.putRow('items', item('a'))
        await tx.appendLog(entry(1))
        await tx.putRow('items', item('bad', { title: null }))
        await tx.putIdempotency(idem('k1'))
        return 'done'
      }),
    ).rejects.toEqual(pgError('23502'))
    // The last statement before COMMIT fails.
    await expect(
      store.transaction(async (tx) => {
        await tx.putRow('items', item('a'))
        await tx.putIdempotency(idem('k1'))
        await tx.appendLog(entry(2))
      }),
    ).rejects.toThrow('postgresStore: syncId 2 is not the log head + 1')
    expect(await store.getRow('items', 'a')).toBeNull()
    expect(await store.headSyncId()).toBe(0)
    await store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk', 'k1')).toBeNull()
      await tx.putRow('items', item('a'))
      await tx.appendLog(entry(1))
    })
    expect(await store.getRow('items', 'a')).not.toBeNull()
    expect(await store.headSyncId()).toBe(1)
  })

  it('reads see every write submitted before them, also while those wait to be sent (first use on the connection)', async () => {
    // A fresh store: none of its statements is prepared on its commit connection yet, so they go one by one.
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('a'))
      await tx.appendLog(entry(1))
      expect(await tx.headSyncId()).toBe(1)
      expect((await tx.getRow('items', 'a'))?.row['title']).toBe('title a')
    })
    // And again, now prepared: pipelined.
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('b'))
      await tx.appendLog(entry(2))
      expect(await tx.headSyncId()).toBe(2)
      expect((await tx.getRow('items', 'b'))?.row['title']).toBe('title b')
    })
  })

  it('a value postgres.js must serialize itself is sent alone: its failure stays its own, the answers after it stay right', async () => {
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('a', { extra: { n: 1 } }))
      await expect(
        tx.savepoint(async () => {
          await tx.putRow('items', item('b'))
          await tx.putRow('items', item('c', { createdAt: undefined }))
        }),
      ).rejects.toThrow('UNDEFINED_VALUE')
      await expect(
        tx.savepoint(async () => {
          await tx.putRow('items', item('b'))
          await tx.putRow('items', item('c', { extra: { n: 1n } }))
        }),
      ).rejects.toThrow(TypeError)
      // Pipelined reads and writes after those failures get their own answers.
      const [a, b, head] = await Promise.all([tx.getRow('items', 'a'), tx.getRow('items', 'b'), tx.headSyncId()])
      expect(a?.row['extra']).toEqual({ n: 1 })
      expect(b).toBeNull()
      expect(head).toBe(0)
      await tx.putRow('items', item('d'))
      expect((await tx.getRow('items', 'd'))?.row['title']).toBe('title d')
    })
    expect(await store.getRow('items', 'b')).toBeNull()
    expect(await store.getRow('items', 'd')).not.toBeNull()
  })

  it('JSON fields holding booleans round-trip (sent as JSON text)', async () => {
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('a', { flags: [true, false], extra: true }))
      await tx.putRow('items', item('b', { flags: [], extra: 'text' }))
    })
    expect((await store.getRow('items', 'a'))?.row).toMatchObject({ flags: [true, false], extra: true })
    expect((await store.getRow('items', 'b'))?.row).toMatchObject({ flags: [], extra: 'text' })
  })

  it('a write postgres.js re-sends (its cached statement went stale) still fails inside its transaction, not after it', async () => {
    // Commit transactions share one connection: the next one reuses the upsert this one prepared there.
    await store.transaction(async (tx) => tx.putRow('items', item('a')))
    // The cached upsert now fails on Postgres (text into a jsonb column); postgres.js re-sends it at the end of the pipeline.
    await database().exec('ALTER TABLE "items" ALTER COLUMN "title" TYPE jsonb USING to_jsonb("title")')
    await expect(
      store.transaction(async (tx) => {
        await tx.putRow('items', item('b'))
        await tx.appendLog(entry(1))
      }),
    ).rejects.toThrow()
    expect(await database().exec('SELECT "id" FROM "items" ORDER BY "id"')).toEqual([{ id: 'a' }])
    expect(await database().exec('SELECT "syncId" FROM "_tandem_log"')).toEqual([])
  }, 10_000) // (broken, it hangs)

  it('a connection Postgres ends mid-transaction rejects that transaction; the store goes on', async () => {
    // Hold the commit lock elsewhere, so the transaction waits on it with statements in flight.
    const lock = await holdCommitLock(database().url)
    try {
      const waiting = store.transaction(async (tx) => {
        await tx.putRow('items', item('never'))
        return tx.headSyncId()
      })
      await lock.terminateWaiter()
      await expect(waiting).rejects.toThrow()
    } finally {
      await lock.release()
    }
    await store.transaction(async (tx) => {
      await tx.putRow('items', item('after'))
      await tx.appendLog(entry((await tx.headSyncId()) + 1))
    })
    expect(await store.getRow('items', 'never')).toBeNull()
    expect(await store.getRow('items', 'after')).not.toBeNull()
    expect(await store.headSyncId()).toBe(1)
  })
})
