/**
 * @module NOTIFY is only a wake-up hint: a node whose notifications are lost,
 * or whose listener connection is killed, still hands every other node's
 * commit to its subscribers, in log order, without gaps (the log poll, and
 * the catch-up when the listener reconnects).
 */
import { createServer, type ServerPlugin, type Store, type TandemServer } from '@tandem/core/server'
import { defineSchema, model, z } from '@tandem/core/schema'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defer } from './cleanup.ts'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const schema = defineSchema({ tasks: model({ title: z.string() }) })
const key = 'sk_test_cluster_poll'

/** Records the syncIds this node publishes to its subscribers; `reached(n)` resolves once it published n. */
function recorder() {
  const seen: number[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  const plugin: ServerPlugin = {
    name: 'recorder',
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
      const timer = setTimeout(() => reject(new Error(`published ${seen.length} of ${n} entries: ${seen.join(',')}`)), 30_000)
      waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
    })
  return { plugin, seen, reached }
}

/** The store, with every notification dropped (as if each NOTIFY were lost). */
function deaf(store: Store): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'listenLog') return async () => async () => {}
      const member = Reflect.get(target, prop) as unknown
      return typeof member === 'function' ? member.bind(target) : member
    },
  })
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

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe.skipIf(!withPostgres)('the log poll behind LISTEN/NOTIFY', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })

  async function node(options: { store?: (s: Store) => Store; plugins?: ServerPlugin[]; logPollMs?: number; name: string }): Promise<TandemServer> {
    const url = new URL(database().url)
    url.searchParams.set('application_name', options.name)
    const store = postgresStore({ url: url.toString(), max: 4 })
    const server = await createServer({
      schema,
      store: options.store ? options.store(store) : store,
      port: 0,
      secretKeys: [key],
      plugins: options.plugins ?? [],
      ...(options.logPollMs !== undefined ? { logPollMs: options.logPollMs } : {}),
    })
    defer(() => server.close())
    return server
  }

  it('a node that hears no NOTIFY at all still publishes the other node’s commits, in order', async () => {
    const heard = recorder()
    await node({ name: 'deaf', store: deaf, plugins: [heard.plugin], logPollMs: 200 })
    const writer = await node({ name: 'writer' })
    for (let i = 0; i < 20; i++) await commit(writer, `t${i}`)
    await heard.reached(20)
    expect(heard.seen).toEqual(upTo(20))
  })

  it('killing the listener’s backend loses nothing: commits made meanwhile arrive in order, without gaps', async () => {
    const heard = recorder()
    // A poll far slower than the test: what arrives, arrives through the re-LISTEN and its catch-up.
    await node({ name: 'listener', plugins: [heard.plugin], logPollMs: 600_000 })
    const writer = await node({ name: 'writer' })
    for (let i = 0; i < 5; i++) await commit(writer, `before${i}`)
    await heard.reached(5)
    const killed = await database().exec(
      `SELECT pg_terminate_backend(pid) AS "killed" FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'listener' AND query ILIKE 'listen%'`,
    )
    expect(killed).toEqual([{ killed: true }])
    // Committed while the listener is down or reconnecting: their notifications have no one to reach.
    for (let i = 0; i < 10; i++) await commit(writer, `during${i}`)
    await heard.reached(15)
    expect(heard.seen).toEqual(upTo(15))
    // And it listens again: later commits arrive as before.
    for (let i = 0; i < 5; i++) await commit(writer, `after${i}`)
    await heard.reached(20)
    expect(heard.seen).toEqual(upTo(20))
  })
})
