/** @module Several server nodes on one Postgres: gapless syncIds across stores, NOTIFY after commit, a real server on top. */
import { createServer } from '@tandem/core/server'
import { postgresStore, type PostgresStore } from '@tandem/sources'
import { conformanceSchema } from '@tandem/sources/conformance'
import { defineSchema, model, z } from '@tandem/core/schema'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const t0 = '2024-05-01T12:00:00.000Z'
const logEntry = (syncId: number, txId: string) => ({ syncId, txId, actor: { id: 'u', kind: 'human' as const }, stale: false, createdAt: t0, changes: [] })

describe.skipIf(!withPostgres)('postgresStore across nodes', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })

  async function nodes(n: number): Promise<PostgresStore[] & AsyncDisposable> {
    const stores = Array.from({ length: n }, () => postgresStore({ url: database().url, max: 4 }))
    for (const s of stores) await s.open(conformanceSchema)
    return Object.assign(stores, { [Symbol.asyncDispose]: async () => void (await Promise.all(stores.map((s) => s.close()))) })
  }

  it('syncIds stay gapless and ordered with 3 nodes committing concurrently', async () => {
    await using stores = await nodes(3)
    const perNode = 25
    const commits = stores.flatMap((store, node) =>
      Array.from({ length: perNode }, (_, i) =>
        store.transaction(async (tx) => {
          const next = (await tx.headSyncId()) + 1
          await tx.savepoint(() => tx.appendLog(logEntry(next, `node${node}_${i}`)))
          return next
        }),
      ),
    )
    const assigned = await Promise.all(commits)
    const total = stores.length * perNode
    expect([...assigned].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    for (const store of stores) {
      const log = await store.readLog(0, 1000)
      expect(log.map((e) => e.syncId)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(new Set(log.map((e) => e.txId)).size).toBe(total)
    }
  })

  it('a node hears every other node’s commits through LISTEN/NOTIFY, only once they commit', async () => {
    await using stores = await nodes(2)
    const [writer, listener] = stores as unknown as [PostgresStore, PostgresStore]
    const heard: number[] = []
    let reached: () => void = () => {}
    const gotTwo = new Promise<void>((resolve) => (reached = resolve))
    const stop = await listener.listenLog((syncId) => {
      heard.push(syncId)
      if (syncId === 2) reached()
    })
    // Rolled back: no notification may escape.
    await expect(
      writer.transaction(async (tx) => {
        await tx.appendLog(logEntry(1, 'aborted'))
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    await writer.transaction(async (tx) => {
      await expect(
        tx.savepoint(async () => {
          await tx.appendLog(logEntry(1, 'savepoint-aborted'))
          throw new Error('abort savepoint')
        }),
      ).rejects.toThrow('abort savepoint')
    })
    await writer.transaction((tx) => tx.appendLog(logEntry(1, 'one')))
    await writer.transaction((tx) => tx.appendLog(logEntry(2, 'two')))
    await gotTwo
    // 0: the listener connected (and would read the log then); 1, 2: the two commits.
    expect(heard).toEqual([0, 1, 2])
    await stop()
  })

  it('serves a real Tandem server: writes through HTTP land in the typed tables and survive a restart', async () => {
    const schema = defineSchema({ tasks: model({ title: z.string(), points: z.number().int().default(1), done: z.boolean().default(false) }) })
    const start = () => createServer({ schema, store: postgresStore({ url: database().url }), port: 0, host: '127.0.0.1', secretKeys: ['sk_test_pg'] })
    const headers = { authorization: 'Bearer sk_test_pg', 'content-type': 'application/json' }
    let server = await start()
    const res = await fetch(`${server.url}/v1/commits`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', id: 'task_1', data: { title: 'On Postgres', points: 5 } }] }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { syncId: number }
    expect(body.syncId).toBe(1)
    await server.close()
    expect(await database().exec(`SELECT "title", "points", "done", "syncId" FROM "tasks"`)).toEqual([
      { title: 'On Postgres', points: '5', done: false, syncId: '1' },
    ])
    server = await start()
    try {
      const row = await fetch(`${server.url}/v1/models/tasks/task_1`, { headers })
      expect(await row.json()).toMatchObject({ id: 'task_1', title: 'On Postgres', points: 5, done: false, syncId: 1 })
      const list = await fetch(`${server.url}/v1/models/tasks?where=${encodeURIComponent(JSON.stringify({ points: { gte: 5 } }))}`, { headers })
      expect(((await list.json()) as { data: Array<{ id: string }> }).data.map((r) => r.id)).toEqual(['task_1'])
    } finally {
      await server.close()
    }
  })
})
