/**
 * @module Propagation: a write in client A is visible in client B, one write
 * at a time. Baseline: socket A → raw `ws` relay → socket B.
 */
import { join } from 'node:path'
import { loadMeter } from '../lib/load.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { taskData } from '../lib/schema.ts'
import { closeSockets, nextMessage, openSockets } from '../lib/sockets.ts'
import { now, percentile, withDeadline } from '../lib/stats.ts'
import type { Scenario } from '../lib/types.ts'
import { spawnServer } from '../servers/spawn.ts'

/** ms from A's create() call until B's subscription sees the row; also A's confirmation time. */
async function tandemSample(a: BenchClient, b: BenchClient, i: number): Promise<{ seen: number; confirmed: number }> {
  const id = `prop-${i}`
  let off = () => {}
  const seen = new Promise<number>((resolve) => {
    off = b.subscribe(
      (t) => t.tasks.get(id),
      (row) => row && resolve(now()),
    )
  })
  const start = now()
  const confirmed = a.tasks.create({ id, data: taskData(i) }).then(() => now())
  const [seenAt, confirmedAt] = await withDeadline(Promise.all([seen, confirmed]), 10_000, 'propagation sample')
  off()
  return { seen: seenAt - start, confirmed: confirmedAt - start }
}

async function relaySample(a: WebSocket, b: WebSocket, i: number): Promise<number> {
  // About the size of the frame a Tandem client sends for one create.
  const frame = JSON.stringify({ type: 'rpc', id: i, method: 'commit', params: { operations: [{ op: 'create', model: 'tasks', id: `prop-${i}`, data: taskData(i) }], txId: `tx-${i}`, idempotencyKey: `tx-${i}` } })
  const received = nextMessage(b)
  const start = now()
  a.send(frame)
  await withDeadline(received, 10_000, 'relay sample')
  return now() - start
}

export const propagation: Scenario = {
  name: 'propagation',
  title: 'one write in client A until client B sees it, sequential writes (p50 / p99)',
  async run(o) {
    const count = o.quick ? 1000 : 5000
    const warmup = 30
    const timeCapMs = o.quick ? 15_000 : 90_000
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'propagation.db') })
    const relay = await spawnServer({ kind: 'relay' })
    const clients = await openClients(tandem, 2)
    const sockets = await openSockets(relay.url, 2)
    const [a, b] = clients as [BenchClient, BenchClient]
    const [sa, sb] = sockets as [WebSocket, WebSocket]
    try {
      const seen: number[] = []
      const confirmed: number[] = []
      const relayed: number[] = []
      const load = loadMeter(tandem)
      const deadline = now() + timeCapMs
      for (let i = 0; i < warmup + count && now() < deadline; i++) {
        // Interleaved, so both see the same background load.
        const t = await load.measure(() => tandemSample(a, b, i))
        const r = await relaySample(sa, sb, i)
        if (i < warmup) continue
        seen.push(t.seen)
        confirmed.push(t.confirmed)
        relayed.push(r)
      }
      o.log(`propagation: ${seen.length} samples each`)
      const note = `${seen.length} sequential writes, interleaved with as many relay messages; includes the durable SQLite commit (synchronous=FULL); during Tandem samples ${load.describe()}`
      return [
        { scenario: 'propagation', metric: 'A write → B sees it, p50', unit: 'ms', better: 'lower', tandem: percentile(seen, 50), baseline: percentile(relayed, 50), note },
        { scenario: 'propagation', metric: 'A write → B sees it, p99', unit: 'ms', better: 'lower', tandem: percentile(seen, 99), baseline: percentile(relayed, 99) },
        { scenario: 'propagation', metric: 'A write → A confirmed, p50', unit: 'ms', better: 'lower', tandem: percentile(confirmed, 50), baseline: null },
      ]
    } finally {
      closeSockets(sockets)
      await closeClients(clients)
      await Promise.all([tandem.close(), relay.close()])
    }
  },
}
