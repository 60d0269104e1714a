/**
 * @module A server plugin on two nodes sharing one Postgres: each node's
 * `onCommit` sees every entry, its own and the other node's, once and in log
 * order; `retainLog` holds compaction back on Postgres.
 */
import { createServer, type ServerPlugin, type TandemServer } from '@tandem/core/server'
import { defineSchema, model, z } from '@tandem/core/schema'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defer } from './cleanup.ts'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const schema = defineSchema({ tasks: model({ title: z.string() }) })
const key = 'sk_test_plugins_pg'

/** A plugin that records the syncIds it hears and resolves `reached(n)` once it heard n. */
function recorder(name: string) {
  const seen: number[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  const plugin: ServerPlugin = {
    name,
    setup(ctx) {
      ctx.onCommit((entries) => {
        seen.push(...entries.map((e) => e.syncId))
        for (const w of waiters) if (seen.length >= w.n) w.resolve()
      })
    },
  }
  const reached = (n: number) =>
    new Promise<void>((resolve, reject) => {
      if (seen.length >= n) return resolve()
      const timer = setTimeout(() => reject(new Error(`${name} heard ${seen.length} of ${n} entries`)), 20_000)
      waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
    })
  return { plugin, seen, reached }
}

async function commit(server: TandemServer, id: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/commits`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', id, data: { title: id } }] }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { syncId: number }).syncId
}

describe.skipIf(!withPostgres)('server plugins on two Postgres nodes', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })

  async function node(plugins: ServerPlugin[]): Promise<TandemServer> {
    const server = await createServer({ schema, store: postgresStore({ url: database().url, max: 4 }), port: 0, secretKeys: [key], plugins })
    defer(() => server.close())
    return server
  }

  it('onCommit on each node sees both nodes’ commits, every entry once, in log order', async () => {
    const a = recorder('rec-a')
    const b = recorder('rec-b')
    const nodeA = await node([a.plugin])
    const nodeB = await node([b.plugin])
    const perNode = 15
    // Both nodes write at the same time: each node hears the other's commits through LISTEN/NOTIFY.
    const ids = await Promise.all(Array.from({ length: perNode }, async (_, i) => [await commit(nodeA, `a${i}`), await commit(nodeB, `b${i}`)]))
    const total = 2 * perNode
    expect(ids.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    await Promise.all([a.reached(total), b.reached(total)])
    const inOrder = Array.from({ length: total }, (_, i) => i + 1)
    expect(a.seen).toEqual(inOrder)
    expect(b.seen).toEqual(inOrder)
  })

  it('a plugin’s retainLog keeps the entries it still needs on the shared log', async () => {
    const store = postgresStore({ url: database().url, max: 4 })
    const throughs: number[] = []
    let reachedFour: () => void = () => {}
    const compactedToFour = new Promise<void>((resolve) => (reachedFour = resolve))
    const compact = store.compactLog.bind(store)
    store.compactLog = async (through) => {
      await compact(through)
      throughs.push(through)
      if (through === 4) reachedFour()
    }
    const server = await createServer({
      schema,
      store,
      port: 0,
      secretKeys: [key],
      logRetention: 2,
      plugins: [{ name: 'cursor', setup: () => undefined, retainLog: async () => 5 }],
    })
    defer(() => server.close())
    for (let i = 0; i < 12; i++) await commit(server, `c${i}`)
    await compactedToFour
    expect(Math.max(...throughs)).toBe(4)
    expect(await store.logStart()).toBe(4)
    expect((await store.readLog(0, 1))[0]!.syncId).toBe(5)
  })
})
