/**
 * @module NOTIFY is only a wake-up hint: a node whose notifications are lost,
 * or whose listener connection is killed, still hands every other node's
 * commit to its subscribers, in log order, without gaps (the log poll, and
 * the catch-up when the listener reconnects).
 */
import { connect, createServer as createTcpServer, type Socket } from 'node:net'
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

/**
 * A TCP proxy to Postgres that can cut every connection through it and hold new ones (accepted, not
 * forwarded) until `release()`: a listener that cannot get back for a while.
 */
async function cuttableProxy(target: URL) {
  const open = new Set<Socket>()
  let held: Array<() => void> | null = null
  const server = createTcpServer((client) => {
    open.add(client)
    client.once('close', () => open.delete(client))
    client.on('error', () => client.destroy())
    const forward = () => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      open.add(upstream)
      upstream.once('close', () => (open.delete(upstream), client.destroy()))
      upstream.on('error', () => upstream.destroy())
      client.once('close', () => upstream.destroy())
      client.pipe(upstream).pipe(client)
    }
    if (held) held.push(forward)
    else forward()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    cutAndHold() {
      held = []
      for (const socket of open) socket.destroy()
    },
    release() {
      const waiting = held ?? []
      held = null
      for (const forward of waiting) forward()
    },
    close: () => new Promise<void>((resolve) => (open.forEach((s) => s.destroy()), server.close(() => resolve()))),
  }
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

  async function node(options: {
    store?: (s: Store) => Store
    plugins?: ServerPlugin[]
    logPollMs?: number
    name: string
    port?: number
  }): Promise<TandemServer> {
    const url = new URL(database().url)
    if (options.port) url.port = String(options.port)
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

  it('commits made while the listener cannot reconnect arrive once it does, with no further commit to wake it', async () => {
    const proxy = await cuttableProxy(new URL(database().url))
    defer(() => proxy.close())
    const heard = recorder()
    await node({ name: 'behind-proxy', port: proxy.port, plugins: [heard.plugin], logPollMs: 600_000 })
    const writer = await node({ name: 'writer' })
    for (let i = 0; i < 3; i++) await commit(writer, `before${i}`)
    await heard.reached(3)
    proxy.cutAndHold()
    // No one on that node listens now: these notifications are lost for good.
    for (let i = 0; i < 7; i++) await commit(writer, `while-cut${i}`)
    proxy.release()
    // The re-LISTEN reads the log after the node's head: nothing else would wake it (the poll is 10 minutes away).
    await heard.reached(10)
    expect(heard.seen).toEqual(upTo(10))
  })
})
