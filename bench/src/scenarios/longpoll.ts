/**
 * @module Propagation over HTTP long-poll: a write by a WebSocket client A
 * until a client B on the HTTP transport (`transport: 'http'`: reads by
 * `GET /v1/changes?after&wait`) sees it, one write at a time. Baseline:
 * socket A → raw `ws` relay → socket B, as in `propagation`.
 */
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { loadMeter } from '../lib/load.ts'
import { schema } from '../lib/schema.ts'
import { closeSockets, commitFrame, hopSample, openSockets } from '../lib/sockets.ts'
import { now, pause, percentile, withDeadline } from '../lib/stats.ts'
import type { Scenario } from '../lib/types.ts'
import { writeSeen } from '../lib/write-seen.ts'
import { spawnServer } from '../servers/spawn.ts'

export const longpoll: Scenario = {
  name: 'longpoll',
  title: 'one write by a WebSocket client until an HTTP long-poll client sees it (p50 / p99)',
  async run(o) {
    const count = o.quick ? 400 : 3000
    const warmup = 20
    const timeCapMs = o.quick ? 10_000 : 90_000
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'longpoll.db') })
    const relay = await spawnServer({ kind: 'relay' })
    const [a] = await openClients(tandem, 1)
    const b: BenchClient = Tandem({ schema, baseURL: tandem.url, apiKey: tandem.secretKey, transport: 'http' })
    const sockets = await openSockets(relay.url, 2)
    const [sa, sb] = sockets as [WebSocket, WebSocket]
    try {
      await withDeadline(b.ready(), 10_000, 'long-poll client ready')
      const load = loadMeter(tandem)
      const seen: number[] = []
      const relayed: number[] = []
      const deadline = now() + timeCapMs
      for (let i = 0; i < warmup + count && now() < deadline; i++) {
        const t = await load.measure(() => writeSeen(a!, b, `poll-${i}`, i).then((r) => r.seen))
        const r = await hopSample(sa, sb, commitFrame(`poll-${i}`, i))
        // Let B's next long-poll request reach the server, so every sample starts from a parked poll.
        await pause(1)
        if (i < warmup) continue
        seen.push(t)
        relayed.push(r)
      }
      o.log(`longpoll: ${seen.length} samples each`)
      const p50 = percentile(seen, 50)
      const base50 = percentile(relayed, 50)
      const note = `${seen.length} sequential writes by a WebSocket client, seen by a client on transport 'http' (its GET /v1/changes?wait=25 parked on the server when the write lands), interleaved with as many relay messages; includes the durable SQLite commit; during Tandem samples ${load.describe()}`
      return [
        {
          scenario: 'longpoll',
          metric: 'WS write → long-poll client sees it, p50',
          unit: 'ms',
          better: 'lower',
          tandem: p50,
          baseline: base50,
          note,
          target: { goal: 'within 1.5× relay', met: p50 <= 1.5 * base50 },
        },
        {
          scenario: 'longpoll',
          metric: 'WS write → long-poll client sees it, p99',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(seen, 99),
          baseline: percentile(relayed, 99),
        },
      ]
    } finally {
      closeSockets(sockets)
      await closeClients([a!, b])
      await Promise.all([tandem.close(), relay.close()])
    }
  },
}
