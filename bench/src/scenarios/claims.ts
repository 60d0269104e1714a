/**
 * @module Claims: (1) hand-off latency, the holder's `release()` until the
 * next waiter's `claim()` resolves, measured at the waiter over real
 * sockets; baseline one message socket A → `ws` relay → socket B. (2)
 * claim → update → release cycles per second on one hot row with 10
 * contending clients (no baseline: the row is serialized by design; the
 * notes give the per-cycle cost). (3) The hand-off again on postgresStore,
 * where claim lines live in the store (skipped without Postgres).
 */
import { join } from 'node:path'
import { closeClients, openClients, until, type BenchClient } from '../lib/clients.ts'
import { loadMeter } from '../lib/load.ts'
import { taskData } from '../lib/schema.ts'
import { createBenchDatabase } from '../lib/postgres.ts'
import { closeSockets, hopSample, openSockets } from '../lib/sockets.ts'
import { now, percentile, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

type Handle = Awaited<ReturnType<BenchClient['tasks']['claim']>>

/** One hand-off: `holder` holds `claim`; `waiter` asks, is seen queued, then the holder releases. Returns [ms, the waiter's new handle]. */
async function handOff(holder: BenchClient, claim: Handle, waiter: BenchClient, id: string): Promise<[number, Handle]> {
  const asked = waiter.tasks.claim({ id, action: 'hand-off' })
  // The holder's client sees the waiter in line: the server has queued it.
  await until(holder, (c) => c.tasks.claim.queue({ id }).length > 0, 10_000, 'waiter queued')
  const start = now()
  void claim.release()
  const granted = await withDeadline(asked, 10_000, 'claim hand-off')
  return [now() - start, granted]
}

/** About the size of the result frame that carries a grant to the waiter. */
const grantFrame = (i: number): string =>
  JSON.stringify({
    type: 'result',
    id: i,
    ok: true,
    value: {
      claim: {
        id: `clm_${i}`,
        status: 'active',
        target: { model: 'tasks', id: 'hot' },
        action: 'hand-off',
        heldBy: { id: 'key', kind: 'agent' },
        position: 0,
        createdAt: new Date().toISOString(),
        expiresAt: new Date().toISOString(),
      },
      token: `ct_${i}`,
      data: { id: 'hot', ...taskData(i) },
    },
  })

/** `store` labels rows measured on a store other than the default SQLite (no target on those). */
async function handOffs(o: { quick: boolean; log(m: string): void }, tandem: ServerHandle, relay: ServerHandle, store?: string): Promise<Result[]> {
  const samples = o.quick ? (store ? 150 : 300) : 2000
  const warmup = 20
  const timeCapMs = o.quick ? 8000 : 60_000
  const clients = await openClients(tandem, 2)
  const sockets = await openSockets(relay.url, 2)
  const [sa, sb] = sockets as [WebSocket, WebSocket]
  const id = 'handoff-row'
  try {
    await clients[0]!.tasks.create({ id, data: taskData(0) })
    const load = loadMeter(tandem)
    const t: number[] = []
    const r: number[] = []
    let holder = clients[0]!
    let waiter = clients[1]!
    let claim = await holder.tasks.claim({ id, action: 'hand-off' })
    const deadline = now() + timeCapMs
    for (let i = 0; i < warmup + samples && now() < deadline; i++) {
      const [ms, next] = await load.measure(() => handOff(holder, claim, waiter, id))
      const relayed = await hopSample(i % 2 ? sb : sa, i % 2 ? sa : sb, grantFrame(i))
      ;[holder, waiter, claim] = [waiter, holder, next]
      if (i < warmup) continue
      t.push(ms)
      r.push(relayed)
    }
    await claim.release()
    o.log(`claims: ${t.length} hand-offs${store ? ` on ${store}` : ''}`)
    const note = `${t.length} hand-offs between two clients, roles alternating, interleaved with as many relay messages; the waiter is queued (seen by the holder) before the release; ${store ? `store ${store} (claim lines in the store, every change a durable transaction); ` : ''}during Tandem samples ${load.describe()}`
    const p50 = percentile(t, 50)
    const on = store ? `, ${store}` : ''
    return [
      {
        scenario: 'claims',
        metric: `hand-off: release → next waiter granted, p50${on}`,
        unit: 'ms',
        better: 'lower',
        tandem: p50,
        baseline: percentile(r, 50),
        note,
        ...(store ? {} : { target: { goal: 'p50 < 2 ms', met: p50 < 2 } }),
      },
      {
        scenario: 'claims',
        metric: `hand-off: release → next waiter granted, p99${on}`,
        unit: 'ms',
        better: 'lower',
        tandem: percentile(t, 99),
        baseline: percentile(r, 99),
      },
    ]
  } finally {
    closeSockets(sockets)
    await closeClients(clients)
  }
}

async function hotRow(o: { quick: boolean; log(m: string): void }, tandem: ServerHandle): Promise<Result> {
  const contenders = 10
  const budget = o.quick ? 400 : 3000
  const timeCapMs = o.quick ? 8000 : 60_000
  const clients = await openClients(tandem, contenders)
  const id = 'hot-row'
  try {
    await clients[0]!.tasks.create({ id, data: taskData(0) })
    const load = loadMeter(tandem)
    let started = 0
    let done = 0
    const holds: number[] = []
    const run = async () => {
      const t0 = now()
      const deadline = t0 + timeCapMs
      await Promise.all(
        clients.map(async (client, k) => {
          while (started < budget && now() < deadline) {
            const i = started++
            const claim = await client.tasks.claim({ id, action: `contender ${k}` })
            const held = now()
            await client.tasks.update({ id, data: { points: i % 13, assignee: `contender-${k}` } })
            await claim.release()
            holds.push(now() - held)
            done++
          }
        }),
      )
      return now() - t0
    }
    const ms = await load.measure(run)
    const rate = (done / ms) * 1000
    o.log(`claims: ${done} claim → update → release cycles in ${ms.toFixed(0)} ms`)
    return {
      scenario: 'claims',
      metric: `claim → update → release cycles/s, 1 row, ${contenders} contenders`,
      unit: '/s',
      better: 'higher',
      tandem: rate,
      baseline: null,
      note:
        `${done} cycles; each cycle is serial on the row (${(1000 / rate).toFixed(2)} ms per cycle) and writes 3 log entries (granted, the update, released); ` +
        `hold time (grant → release() resolved) p50 ${percentile(holds, 50).toFixed(2)} ms, p99 ${percentile(holds, 99).toFixed(2)} ms; ${load.describe()}`,
    }
  } finally {
    await closeClients(clients)
  }
}

export const claims: Scenario = {
  name: 'claims',
  title: 'claim hand-off latency, and claim → update → release cycles/s on one hot row',
  async run(o) {
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'claims.db') })
    const relay = await spawnServer({ kind: 'relay' })
    try {
      const results = await handOffs(o, tandem, relay)
      results.push(await hotRow(o, tandem))
      results.push(...(await onPostgres(o, relay)))
      return results
    } finally {
      await Promise.all([tandem.close(), relay.close()])
    }
  },
}

async function onPostgres(o: { quick: boolean; log(m: string): void }, relay: ServerHandle): Promise<Result[]> {
  const db = await createBenchDatabase()
  if ('unavailable' in db) {
    o.log(`claims: postgres skipped (no Postgres: ${db.unavailable})`)
    return ['p50', 'p99'].map((p) => ({
      scenario: 'claims',
      metric: `hand-off: release → next waiter granted, ${p}, postgres`,
      unit: 'ms',
      better: 'lower' as const,
      tandem: Number.NaN,
      baseline: null,
      skipped: 'skipped (no Postgres)',
    }))
  }
  let server: ServerHandle | undefined
  try {
    server = await spawnServer({ kind: 'tandem', store: 'postgres', databaseUrl: db.url })
    return await handOffs(o, server, relay, 'postgres')
  } finally {
    await server?.close()
    await db.drop()
  }
}
