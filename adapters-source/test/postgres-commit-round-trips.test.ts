/**
 * @module The Postgres commit path, counted in network round trips (through a
 * counting TCP proxy): a batch of commits sends its reads together and its
 * savepoints without waiting on each, and a statement that fails in such a
 * batch still refuses only its own commit (the batch runs again strictly).
 */
import type { LogEntry } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { createServer } from '@tandem/core/server'
import type { StoredRow } from '@tandem/core/server'
import { postgresStore, type PostgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'
import { startRoundTripProxy, type RoundTripProxy } from './round-trip-proxy.ts'

const withPostgres = await postgresAvailable()
const t0 = '2024-05-01T12:00:00.000Z'

const schema = defineSchema({ items: model({ title: z.string() }) })
const item = (id: string, fields: Record<string, unknown> = {}): StoredRow => ({
  row: { id, createdAt: t0, updatedAt: t0, syncId: 1, title: `title ${id}`, ...fields },
  groups: ['g1'],
})
const entry = (syncId: number): LogEntry =>
  ({ syncId, txId: `tx_${syncId}`, actor: { id: 'u', kind: 'human' }, stale: false, createdAt: t0, changes: [] }) as LogEntry

/** Like the commit pipeline's batch: every read first, then one savepoint per commit writing its row and log entry. */
async function commitBatch(store: PostgresStore, ids: string[], options: { rerunnable?: boolean } = {}): Promise<{ runs: number; refused: string[] }> {
  let runs = 0
  let refused: string[] = []
  await store.transaction(async (tx) => {
    runs++
    refused = []
    const headRead = tx.headSyncId()
    const reads = ids.map((id) => tx.getRow('items', id))
    let head = await headRead
    for (const [i, id] of ids.entries()) {
      await reads[i]
      const next = head + 1
      const outcome = await tx
        .savepoint(async () => {
          await tx.putRow('items', id.startsWith('bad') ? item(id, { title: null }) : item(id))
          await tx.appendLog(entry(next))
        })
        .then(
          () => 'ok',
          () => 'refused',
        )
      if (outcome === 'ok') head = next
      else refused.push(id)
    }
  }, options)
  return { runs, refused }
}

describe.skipIf(!withPostgres)('postgresStore: round trips of the commit path', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })
  let proxy: RoundTripProxy
  beforeEach(async () => {
    proxy = await startRoundTripProxy(database().url)
    return () => proxy.close()
  })

  it('a rerunnable batch of 20 commits costs a few round trips, not one or more per commit', async () => {
    const store = postgresStore({ url: proxy.url, max: 3 })
    try {
      await store.open(schema)
      await commitBatch(store, ['warm'], { rerunnable: true }) // statements get prepared on the commit connection
      proxy.reset()
      const ids = Array.from({ length: 20 }, (_, i) => `r${i}`)
      expect(await commitBatch(store, ids, { rerunnable: true })).toEqual({ runs: 1, refused: [] })
      // BEGIN + lock + head + reads, the savepoints' writes, COMMIT: waiting on each savepoint would cost 20 more.
      expect(Math.max(...proxy.counts())).toBeLessThanOrEqual(6)
      expect((await store.readLog(0, 100)).map((e) => e.syncId)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
    } finally {
      await store.close()
    }
  })

  it('a statement failing in a rerunnable batch refuses its own commit only: the batch runs again strictly', async () => {
    const store = postgresStore({ url: database().url, max: 3 })
    try {
      await store.open(schema)
      expect(await commitBatch(store, ['a', 'bad', 'c'], { rerunnable: true })).toEqual({ runs: 2, refused: ['bad'] })
      expect((await store.readLog(0, 10)).map((e) => e.syncId)).toEqual([1, 2])
      for (const id of ['a', 'c']) expect(await store.getRow('items', id)).not.toBeNull()
      expect(await store.getRow('items', 'bad')).toBeNull()
      // Not rerunnable: each savepoint waits for its statements, and the transaction runs once.
      expect(await commitBatch(store, ['d', 'bad2', 'e'])).toEqual({ runs: 1, refused: ['bad2'] })
      expect((await store.readLog(0, 10)).map((e) => e.syncId)).toEqual([1, 2, 3, 4])
    } finally {
      await store.close()
    }
  })

  it('a lone commit through the server costs three round trips on the commit connection (reads go out with BEGIN)', async () => {
    const server = await createServer({
      schema,
      store: postgresStore({ url: proxy.url }),
      port: 0,
      host: '127.0.0.1',
      secretKeys: ['sk_test_rt'],
    })
    try {
      const commit = (title: string, key: string) =>
        fetch(`${server.url}/v1/commits`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk_test_rt', 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ operations: [{ op: 'create', model: 'items', data: { title } }] }),
        })
      expect((await commit('warm-up', 'k0')).status).toBe(200)
      proxy.reset()
      const response = await commit('counted', 'k1')
      expect(response.status).toBe(200)
      // BEGIN + lock + head + idempotency read + row read, then the writes, then COMMIT (five before reads were sent ahead).
      expect(Math.max(...proxy.counts())).toBeLessThanOrEqual(3)
    } finally {
      await server.close()
    }
  })

  it('updateRecord costs two round trips (the write goes with COMMIT), and a failed write still changes nothing', async () => {
    const store = postgresStore({ url: proxy.url, max: 3 })
    try {
      await store.open(schema)
      await store.updateRecord<{ n: number }>('counter', 'c', (v) => ({ n: (v?.n ?? 0) + 1 })) // prepares its statements
      proxy.reset()
      expect(await store.updateRecord<{ n: number }>('counter', 'c', (v) => ({ n: (v?.n ?? 0) + 1 }))).toEqual({ n: 2 })
      expect(Math.max(...proxy.counts())).toBeLessThanOrEqual(2)
      // A value JSONB refuses (a NUL character): the write fails in Postgres, COMMIT rolls back, the update rejects.
      await expect(store.updateRecord('counter', 'c', () => ({ n: 'bad\u0000' }))).rejects.toMatchObject({ name: 'PostgresError' })
      expect(await store.getRecord('counter', 'c')).toEqual({ n: 2 })
      expect(await store.updateRecord<{ n: number }>('counter', 'c', (v) => ({ n: (v?.n ?? 0) + 1 }))).toEqual({ n: 3 })
    } finally {
      await store.close()
    }
  })

  it('a batch that reads what an earlier commit of it wrote sees that write (rows and idempotency keys), on Postgres', async () => {
    const server = await createServer({ schema, store: postgresStore({ url: database().url }), port: 0, host: '127.0.0.1', secretKeys: ['sk_test_rt'] })
    try {
      const create = (id: string, title: string, idempotencyKey?: string) => ({
        operations: [{ op: 'create', model: 'items', id, data: { title } }],
        ...(idempotencyKey ? { idempotencyKey } : {}),
      })
      const response = await fetch(`${server.url}/v1/commits/batch`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_rt', 'content-type': 'application/json' },
        body: JSON.stringify({
          commits: [
            create('a', 'first', 'k'),
            create('a', 'first', 'k'), // a replay of the first: same result, nothing written twice
            create('a', 'again'), // the row exists now
            { operations: [{ op: 'update', model: 'items', id: 'a', data: { title: 'second' } }] },
            { operations: [{ op: 'update', model: 'items', id: 'a', data: { title: 'third' } }] },
          ],
        }),
      })
      const { results } = (await response.json()) as { results: Array<Record<string, any>> }
      expect(results.map((r) => r['object'])).toEqual(['commit', 'commit', 'error', 'commit', 'commit'])
      expect(results[1]).toEqual(results[0])
      expect(results[2]).toMatchObject({ error: { code: 'already_exists' } })
      expect(results.map((r) => r['syncId'])).toEqual([1, 1, undefined, 2, 3])
      expect(results[4]!['rows'][0]).toMatchObject({ id: 'a', title: 'third', syncId: 3 })
    } finally {
      await server.close()
    }
  })
})
