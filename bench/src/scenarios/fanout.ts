/**
 * @module Fan-out: one write reaches 100 subscribed clients; the time until
 * the last one has it. Baseline: one message through the raw `ws` relay to
 * 100 sockets.
 */
import { join } from 'node:path'
import { loadMeter } from '../lib/load.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { taskData } from '../lib/schema.ts'
import { closeSockets, nextMessage, openSockets } from '../lib/sockets.ts'
import { now, pause, percentile, withDeadline } from '../lib/stats.ts'
import type { Scenario } from '../lib/types.ts'
import { spawnServer } from '../servers/spawn.ts'

const subscribers = 100

/** [first, last] ms from create() until a subscriber's selector sees the row. */
async function tandemSample(writer: BenchClient, subs: readonly BenchClient[], i: number): Promise<[number, number]> {
  const id = `fan-${i}`
  const offs: Array<() => void> = []
  const seen = subs.map(
    (s) =>
      new Promise<number>((resolve) => {
        offs.push(
          s.subscribe(
            (t) => t.tasks.get(id),
            (row) => row && resolve(now()),
          ),
        )
      }),
  )
  const start = now()
  const confirmed = writer.tasks.create({ id, data: taskData(i) })
  const times = await withDeadline(Promise.all(seen), 20_000, 'fan-out sample')
  await confirmed
  for (const off of offs) off()
  return [Math.min(...times) - start, Math.max(...times) - start]
}

async function relaySample(sender: WebSocket, receivers: readonly WebSocket[], i: number): Promise<[number, number]> {
  const frame = JSON.stringify({ type: 'changes', entries: [{ syncId: i, changes: [{ model: 'tasks', id: `fan-${i}`, op: 'create', data: taskData(i) }] }] })
  const seen = receivers.map((r) => nextMessage(r).then(() => now()))
  const start = now()
  sender.send(frame)
  const times = await withDeadline(Promise.all(seen), 20_000, 'relay fan-out sample')
  return [Math.min(...times) - start, Math.max(...times) - start]
}

export const fanout: Scenario = {
  name: 'fanout',
  title: `one write to ${subscribers} subscribers: time until the last has it`,
  async run(o) {
    const samples = o.quick ? 100 : 300
    const warmup = 5
    const timeCapMs = o.quick ? 15_000 : 60_000
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'fanout.db') })
    const relay = await spawnServer({ kind: 'relay' })
    const clients = await openClients(tandem, subscribers + 1)
    const sockets = await openSockets(relay.url, subscribers + 1)
    const [writer, ...subs] = clients as [BenchClient, ...BenchClient[]]
    const [sender, ...receivers] = sockets as [WebSocket, ...WebSocket[]]
    try {
      const t: Array<[number, number]> = []
      const r: Array<[number, number]> = []
      const load = loadMeter(tandem)
      const deadline = now() + timeCapMs
      for (let i = 0; i < warmup + samples && now() < deadline; i++) {
        const ts = await load.measure(() => tandemSample(writer, subs, i))
        await pause(5)
        const rs = await relaySample(sender, receivers, i)
        await pause(5)
        if (i < warmup) continue
        t.push(ts)
        r.push(rs)
      }
      o.log(`fanout: ${t.length} samples each`)
      const last = (xs: Array<[number, number]>) => xs.map((x) => x[1])
      const first = (xs: Array<[number, number]>) => xs.map((x) => x[0])
      const note = `${t.length} writes, each to ${subscribers} clients on one main thread (server in its own thread); Tandem's time includes the durable commit; during Tandem samples ${load.describe()}`
      return [
        {
          scenario: 'fanout',
          metric: `write → last of ${subscribers} sees it, p50`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(last(t), 50),
          baseline: percentile(last(r), 50),
          note,
        },
        {
          scenario: 'fanout',
          metric: `write → last of ${subscribers} sees it, p99`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(last(t), 99),
          baseline: percentile(last(r), 99),
        },
        {
          scenario: 'fanout',
          metric: `write → first of ${subscribers} sees it, p50`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(first(t), 50),
          baseline: percentile(first(r), 50),
        },
      ]
    } finally {
      closeSockets(sockets)
      await closeClients(clients)
      await Promise.all([tandem.close(), relay.close()])
    }
  },
}
