/**
 * @module Propagation: a write in client A is visible in client B, one write
 * at a time. Baseline: socket A → raw `ws` relay → socket B. Second
 * reference: the same through the thinnest durable server (`ws-durable`:
 * JSON.parse, one durable SQLite commit, fan-out), the floor once the write
 * must be on disk before anyone hears of it.
 */
import { join } from 'node:path'
import { loadMeter } from '../lib/load.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { syncUrl } from '../lib/protocol-client.ts'
import { closeSockets, commitFrame, hopSample, nextMessage, openSockets } from '../lib/sockets.ts'
import { now, percentile, withDeadline } from '../lib/stats.ts'
import type { Scenario } from '../lib/types.ts'
import { writeSeen } from '../lib/write-seen.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

/** Two sockets on the durable floor server, past its `hello`. */
export async function openDurable(server: ServerHandle): Promise<WebSocket[]> {
  const sockets = await openSockets(syncUrl(server.url), 2)
  for (const s of sockets) {
    const synced = nextMessage(s)
    s.send(JSON.stringify({ type: 'hello', protocol: 1, token: 'bench', cursor: null }))
    await withDeadline(synced, 10_000, 'durable floor hello')
  }
  return sockets
}

/** Interleaved Tandem, relay and (optionally) durable-floor samples; ms each. */
async function measure(tandem: ServerHandle, relay: ServerHandle, durable: ServerHandle | undefined, count: number, timeCapMs: number, first: number) {
  const warmup = 30
  const clients = await openClients(tandem, 2)
  const sockets = await openSockets(relay.url, 2)
  const floorSockets = durable ? await openDurable(durable) : []
  const [a, b] = clients as [BenchClient, BenchClient]
  const [sa, sb] = sockets as [WebSocket, WebSocket]
  const [da, db] = floorSockets as [WebSocket | undefined, WebSocket | undefined]
  try {
    const seen: number[] = []
    const confirmed: number[] = []
    const relayed: number[] = []
    const floor: number[] = []
    const load = loadMeter(tandem)
    const deadline = now() + timeCapMs
    for (let i = first; i < first + warmup + count && now() < deadline; i++) {
      // Interleaved, so both see the same background load.
      const t = await load.measure(() => writeSeen(a, b, `prop-${i}`, i))
      const r = await hopSample(sa, sb, commitFrame(`prop-${i}`, i))
      const d = da && db ? await hopSample(da, db, commitFrame(`prop-${i}`, i)) : undefined
      if (i < first + warmup) continue
      seen.push(t.seen)
      confirmed.push(t.confirmed)
      relayed.push(r)
      if (d !== undefined) floor.push(d)
    }
    return { seen, confirmed, relayed, floor, load: load.describe() }
  } finally {
    closeSockets(sockets)
    closeSockets(floorSockets)
    await closeClients(clients)
  }
}

export const propagation: Scenario = {
  name: 'propagation',
  title: 'one write in client A until client B sees it, sequential writes (p50 / p99)',
  async run(o) {
    const count = o.quick ? 1000 : 5000
    const timeCapMs = o.quick ? 15_000 : 90_000
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'propagation.db') })
    const relay = await spawnServer({ kind: 'relay' })
    const durable = await spawnServer({ kind: 'ws-durable', dbPath: join(o.tmpDir, 'propagation-floor.db') })
    let memory: ServerHandle | undefined
    try {
      const m = await measure(tandem, relay, durable, count, timeCapMs, 0)
      o.log(`propagation: ${m.seen.length} samples each`)
      // The same on the memory store: what is left without the disk.
      memory = await spawnServer({ kind: 'tandem', store: 'memory' })
      const mem = await measure(memory, relay, undefined, Math.round(count / 2), timeCapMs / 2, 1_000_000)
      const note = `${m.seen.length} sequential writes, interleaved with as many relay messages; includes the durable SQLite commit (synchronous=FULL); during Tandem samples ${m.load}`
      const p50 = percentile(m.seen, 50)
      const base50 = percentile(m.relayed, 50)
      return [
        {
          scenario: 'propagation',
          metric: 'A write → B sees it, p50',
          unit: 'ms',
          better: 'lower',
          tandem: p50,
          baseline: base50,
          note,
          target: { goal: 'within 1.5× relay', met: p50 <= 1.5 * base50 },
        },
        {
          scenario: 'propagation',
          metric: 'A write → B sees it, p99',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(m.seen, 99),
          baseline: percentile(m.relayed, 99),
        },
        {
          scenario: 'propagation',
          metric: 'A write → B sees it, p50, vs durable floor',
          unit: 'ms',
          better: 'lower',
          tandem: p50,
          baseline: percentile(m.floor, 50),
          note: `baseline: the thinnest durable server (ws-durable: JSON.parse, one SQLite commit with synchronous=FULL, fan-out; no validation, auth or idempotency) between two raw sockets; its p99 ${percentile(m.floor, 99).toFixed(2)} ms. What a durable commit costs before any of Tandem's work`,
        },
        { scenario: 'propagation', metric: 'A write → A confirmed, p50', unit: 'ms', better: 'lower', tandem: percentile(m.confirmed, 50), baseline: null },
        {
          scenario: 'propagation',
          metric: 'A write → B sees it, p50, memory store',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(mem.seen, 50),
          baseline: percentile(mem.relayed, 50),
          note: `${mem.seen.length} writes against a server on memoryStore() (no disk, not durable), interleaved with relay messages: Tandem's own cost per hop without the commit's fsync; p99 ${percentile(mem.seen, 99).toFixed(2)} ms; ${mem.load}`,
        },
      ]
    } finally {
      await Promise.all([tandem.close(), relay.close(), durable.close(), memory?.close()])
    }
  },
}
