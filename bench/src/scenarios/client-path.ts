/**
 * @module The path an app takes: real `Tandem()` clients (WebSocket), measured beside a raw `ws`
 * relay and the durable floor in the same run, on SQLite with `durability: 'full'` and `'process'`.
 *
 * - Propagation: `create()` in client A until client B's local graph has it, one write at a time.
 * - Throughput: A queues 10,000 `update({ wait: 'queued' })` over 100 rows in one loop; timed until B
 *   has seen the last. The loop's own time per call is the client's CPU per write. Relay: socket A
 *   sends as many commit-sized frames, until socket B has received them all.
 * - Fan-out: one write until each of 100 / 1,000 `Tandem()` subscribers has the row in its graph
 *   (all on this thread, so it includes 1,000 clients' parsing and graph updates one after the
 *   other); relay: one frame to as many sockets.
 * - Connect: 1,000 `Tandem()` clients until each is `ready()` (handshake, hello, welcome, bootstrap),
 *   100 at a time; relay: 1,000 sockets open, the same way.
 */
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { closeClients, until, type BenchClient } from '../lib/clients.ts'
import { openMany } from '../lib/protocol-client.ts'
import { schema, taskData } from '../lib/schema.ts'
import { closeSockets, commitFrame, hopSample, openSocket } from '../lib/sockets.ts'
import { median, now, pause, percentile, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { writeSeen } from '../lib/write-seen.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'
import { openDurable } from './propagation.ts'

/** The best peer in the table (Yjs + y-websocket, write → other client p50), measured in another session. */
const bestPeerPropagationMs = 0.25
const client = (server: ServerHandle): BenchClient => Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })

async function propagation(server: ServerHandle, relay: ServerHandle, floor: ServerHandle, count: number, prefix: string) {
  const [a, b] = [client(server), client(server)]
  const [sa, sb] = [await openSocket(relay.url), await openSocket(relay.url)]
  const [da, db] = await openDurable(floor)
  try {
    await Promise.all([a.ready(), b.ready()])
    const seen: number[] = []
    const relayed: number[] = []
    const floored: number[] = []
    for (let i = 0; i < count + 30; i++) {
      const t = await writeSeen(a, b, `${prefix}-${i}`, i)
      const r = await hopSample(sa, sb, commitFrame(`${prefix}-${i}`, i))
      const d = await hopSample(da!, db!, commitFrame(`${prefix}-${i}`, i))
      if (i < 30) continue
      seen.push(t.seen)
      relayed.push(r)
      floored.push(d)
    }
    return { seen: percentile(seen, 50), relay: percentile(relayed, 50), floor: percentile(floored, 50) }
  } finally {
    closeSockets([sa, sb, da!, db!])
    await closeClients([a, b])
  }
}

async function throughput(server: ServerHandle, writes: number, prefix: string) {
  const [writer, reader] = [client(server), client(server)]
  try {
    await Promise.all([writer.ready(), reader.ready()])
    const rows = 100
    await Promise.all(Array.from({ length: rows }, (_, r) => writer.tasks.create({ id: `${prefix}-${r}`, data: taskData(r) })))
    await until(reader, (c) => c.tasks.get(`${prefix}-${rows - 1}`), 30_000, 'rows seen')
    const t0 = now()
    for (let i = 1; i <= writes; i++) void writer.tasks.update({ id: `${prefix}-${i % rows}`, data: { points: i }, wait: 'queued' })
    const loop = now() - t0
    await until(reader, (c) => c.tasks.get(`${prefix}-${writes % rows}`)?.points === writes, 120_000, `${writes} writes seen`)
    return { rate: writes / ((now() - t0) / 1000), cpuPerCallUs: (loop * 1000) / writes }
  } finally {
    await closeClients([writer, reader])
  }
}

/** Socket A sends `count` commit-sized frames as fast as it can; until socket B has them all. */
async function relayThroughput(relay: ServerHandle, count: number): Promise<number> {
  const [a, b] = [await openSocket(relay.url), await openSocket(relay.url)]
  try {
    let left = count
    const all = new Promise<void>((resolve) => (b.onmessage = () => --left === 0 && resolve()))
    const t0 = now()
    for (let i = 0; i < count; i++) a.send(commitFrame(`relay-${i}`, i))
    await withDeadline(all, 60_000, 'relay throughput')
    return count / ((now() - t0) / 1000)
  } finally {
    closeSockets([a, b])
  }
}

/** Median time from one `create()` until every subscriber's graph has the row; beside one relay frame to as many sockets. */
async function fanout(server: ServerHandle, relay: ServerHandle, subscribers: BenchClient[], sockets: WebSocket[], samples: number, prefix: string) {
  const writer = client(server)
  const sender = await openSocket(relay.url)
  try {
    await writer.ready()
    const t: number[] = []
    const b: number[] = []
    for (let i = 0; i < samples + 3; i++) {
      const id = `${prefix}-${i}`
      const seen = Promise.all(subscribers.map((s) => until(s, (c) => c.tasks.get(id), 30_000, `fan-out of ${id}`)))
      let t0 = now()
      void writer.tasks.create({ id, data: taskData(i) })
      await seen
      const tandem = now() - t0
      await pause(20)
      let left = sockets.length
      const all = new Promise<void>((resolve) => {
        for (const s of sockets) s.onmessage = () => --left === 0 && resolve()
      })
      t0 = now()
      sender.send(commitFrame(id, i))
      await withDeadline(all, 30_000, 'relay fan-out')
      if (i >= 3) {
        t.push(tandem)
        b.push(now() - t0)
      }
      await pause(20)
    }
    return { tandem: median(t), relay: median(b) }
  } finally {
    closeSockets([sender])
    await closeClients([writer])
  }
}

export const clientPath: Scenario = {
  name: 'client',
  title: "Tandem() clients, the app's path: propagation, queued writes until seen, fan-out to 100 / 1,000, connect 1,000 (durability full and process)",
  async run(o) {
    const writes = o.quick ? 3000 : 10_000
    const propagationSamples = o.quick ? 200 : 1000
    const fanSamples = o.quick ? 5 : 15
    const full = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'client-full.db') })
    const proc = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'client-process.db'), durability: 'process' })
    const relay = await spawnServer({ kind: 'relay' })
    const floor = await spawnServer({ kind: 'ws-durable', dbPath: join(o.tmpDir, 'client-floor.db') })
    let subscribers: BenchClient[] = []
    let sockets: WebSocket[] = []
    try {
      const propFull = await propagation(full, relay, floor, propagationSamples, 'pf')
      const propProc = await propagation(proc, relay, floor, propagationSamples, 'pp')
      o.log(`client: propagation p50 full ${propFull.seen.toFixed(2)} ms, process ${propProc.seen.toFixed(2)} ms, floor ${propFull.floor.toFixed(2)} ms`)
      const tpFull = await throughput(full, writes, 'tf')
      const tpProc = await throughput(proc, writes, 'tp')
      const tpRelay = await relayThroughput(relay, writes)
      o.log(`client: ${writes} queued updates seen at ${tpFull.rate.toFixed(0)}/s (full), ${tpProc.rate.toFixed(0)}/s (process), relay ${tpRelay.toFixed(0)}/s`)

      const fans: Record<number, { tandem: number; relay: number }> = {}
      let connect = 0
      let connectRelay = 0
      for (const n of [100, 1000]) {
        await closeClients(subscribers)
        closeSockets(sockets)
        await pause(200)
        let t0 = now()
        sockets = await openMany(n, 100, () => openSocket(relay.url, 30_000))
        const relayOpen = now() - t0
        await pause(200)
        t0 = now()
        subscribers = await openMany(n, 100, async () => {
          const c = client(full)
          await withDeadline(c.ready(), 60_000, `connecting ${n} clients`)
          return c
        })
        if (n === 1000) [connect, connectRelay] = [now() - t0, relayOpen]
        fans[n] = await fanout(full, relay, subscribers, sockets, fanSamples, `fan${n}`)
      }
      o.log(
        `client: fan-out to 1,000 ${fans[1000]!.tandem.toFixed(1)} ms (relay ${fans[1000]!.relay.toFixed(1)}), connect 1,000 ${connect.toFixed(0)} ms (relay ${connectRelay.toFixed(0)})`,
      )

      const fanRows = [100, 1000].map((n): Result => ({
        scenario: 'client',
        metric: `write → all ${n.toLocaleString('en')} Tandem() subscribers have the row, median`,
        unit: 'ms',
        better: 'lower',
        tandem: fans[n]!.tandem,
        baseline: fans[n]!.relay,
        note: `${fanSamples} writes; every subscriber is a full Tandem() client on the bench's one thread (frame parse, graph update, selector); relay: one commit-sized frame to ${n} sockets; durability full`,
        ...(n === 1000 ? { target: { goal: '≤ 2× relay', met: fans[n]!.tandem <= 2 * fans[n]!.relay } } : {}),
      }))
      return [
        {
          scenario: 'client',
          metric: "A write → B sees it, p50, durability 'full' (baseline: durable floor)",
          unit: 'ms',
          better: 'lower',
          tandem: propFull.seen,
          baseline: propFull.floor,
          note: `${propagationSamples} sequential create()s between two Tandem() clients, interleaved with the floor server's hop (ws-durable: one fsynced SQLite commit, no validation); relay p50 ${propFull.relay.toFixed(2)} ms`,
          target: { goal: '≤ 1.2× durable floor', met: propFull.seen <= 1.2 * propFull.floor },
        },
        {
          scenario: 'client',
          metric: "A write → B sees it, p50, durability 'process' (baseline: relay)",
          unit: 'ms',
          better: 'lower',
          tandem: propProc.seen,
          baseline: propProc.relay,
          note: `same method on a server with sqliteStore({ durability: 'process' }); goal: below the best peer of the issue's table (Yjs + y-websocket, ${bestPeerPropagationMs} ms, measured in another session)`,
          target: { goal: `< ${bestPeerPropagationMs} ms (best peer)`, met: propProc.seen < bestPeerPropagationMs },
        },
        {
          scenario: 'client',
          metric: `${writes.toLocaleString('en')} queued updates until a 2nd client saw them, 'full' (baseline: relay)`,
          unit: '/s',
          better: 'higher',
          tandem: tpFull.rate,
          baseline: tpRelay,
          note: `one loop of update({ wait: 'queued' }) over 100 rows, timed until another Tandem() client has the last; relay: as many commit-sized frames from socket A until socket B has them all`,
          target: { goal: '≥ 30,000/s', met: tpFull.rate >= 30_000 },
        },
        {
          scenario: 'client',
          metric: `${writes.toLocaleString('en')} queued updates until a 2nd client saw them, 'process' (baseline: relay)`,
          unit: '/s',
          better: 'higher',
          tandem: tpProc.rate,
          baseline: tpRelay,
        },
        {
          scenario: 'client',
          metric: "client CPU per update({ wait: 'queued' })",
          unit: 'µs',
          better: 'lower',
          tandem: tpFull.cpuPerCallUs,
          baseline: null,
          note: `the writer's loop of ${writes.toLocaleString('en')} calls divided by the count (validation, optimistic apply, undo step, outbox, frame send); 'process' run: ${tpProc.cpuPerCallUs.toFixed(1)} µs`,
          target: { goal: '≤ 20 µs', met: tpFull.cpuPerCallUs <= 20 },
        },
        ...fanRows,
        {
          scenario: 'client',
          metric: 'connect + bootstrap 1,000 Tandem() clients (baseline: relay connect)',
          unit: 'ms',
          better: 'lower',
          tandem: connect,
          baseline: connectRelay,
          note: '100 at a time, until each ready() (handshake, hello, welcome, bootstrap of the rows written above); relay: 1,000 sockets open, 100 at a time',
          target: { goal: '≤ 2× relay connect', met: connect <= 2 * connectRelay },
        },
      ]
    } finally {
      await closeClients(subscribers)
      closeSockets(sockets)
      await Promise.all([full.close(), proc.close(), relay.close(), floor.close()])
    }
  },
}
