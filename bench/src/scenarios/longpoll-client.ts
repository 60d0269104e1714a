/**
 * @module The long-poll client path against the WebSocket one, measured in the same run.
 *
 * Throughput: a `Tandem()` writer queues 10,000 `update({ wait: 'queued' })` over 100 rows;
 * timed until a second `Tandem()` client on the same transport has seen the last of them.
 * Run on `transport: 'http'` (long-poll reads, batched commits) and on the WebSocket: the
 * WebSocket run is the baseline column.
 *
 * Fan-out: 1,000 long-polls (`GET /v1/changes?after&wait=25`, raw fetch loops, each re-polling
 * at once) parked on the server, one write, until the last poll has answered with it;
 * baseline: the same write to 1,000 raw WebSocket protocol clients of the same server.
 */
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { Agent, fetch as undiciFetch } from 'undici'
import { closeClients, openClients, until, type BenchClient } from '../lib/clients.ts'
import { closeAll, connectProtocol, openMany, type ProtocolClient } from '../lib/protocol-client.ts'
import { schema, taskData } from '../lib/schema.ts'
import { now, pause, percentile, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

const pollers = 1000

async function throughput(server: ServerHandle, transport: 'websocket' | 'http', writes: number, prefix: string): Promise<number> {
  const make = () => Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport })
  const [writer, reader] = [make(), make()] as [BenchClient, BenchClient]
  try {
    await Promise.all([writer.ready(), reader.ready()])
    const rows = 100
    await Promise.all(Array.from({ length: rows }, (_, r) => writer.tasks.create({ id: `${prefix}-${r}`, data: taskData(r) })))
    await until(reader, (c) => c.tasks.get(`${prefix}-${rows - 1}`), 30_000, 'rows seen')
    const t0 = now()
    for (let i = 1; i <= writes; i++) void writer.tasks.update({ id: `${prefix}-${i % rows}`, data: { points: i }, wait: 'queued' })
    await until(reader, (c) => c.tasks.get(`${prefix}-${writes % rows}`)?.points === writes, 120_000, `${transport}: ${writes} writes seen`)
    return writes / ((now() - t0) / 1000)
  } finally {
    await closeClients([writer, reader])
  }
}

/** `count` long-poll loops; `sample()` resolves when every loop has had an answer naming `marker`. */
function parkPolls(server: ServerHandle, count: number, start: number) {
  const dispatcher = new Agent({ connections: count + 10, pipelining: 0, keepAliveTimeout: 60_000 })
  let closed = false
  let marker = ''
  let remaining = 0
  let done: (() => void) | undefined
  let parked = 0
  const loop = async () => {
    let after = start
    while (!closed) {
      parked++
      const res = await undiciFetch(`${server.url}/v1/changes?after=${after}&wait=25&limit=100`, {
        headers: { authorization: `Bearer ${server.secretKey}` },
        dispatcher,
      }).catch(() => null)
      parked--
      if (!res) return
      const text = await res.text()
      after = (JSON.parse(text) as { cursor: number }).cursor
      if (remaining > 0 && text.includes(marker) && --remaining === 0) done?.()
    }
  }
  for (let i = 0; i < count; i++) void loop()
  return {
    /** Every loop has its request out (parked on the server, or on its way). */
    allParked: () => parked === count,
    async sample(id: string, write: () => void): Promise<number> {
      marker = `"${id}"`
      remaining = count
      const all = new Promise<void>((resolve) => (done = resolve))
      const t0 = now()
      write()
      await withDeadline(all, 30_000, `long-poll fan-out of ${id}`)
      return now() - t0
    },
    async close() {
      // Destroying the dispatcher ends the parked requests (no shared AbortSignal: 1,000 listeners on one signal cost more than the polls).
      closed = true
      await dispatcher.destroy().catch(() => undefined)
    },
  }
}

export const longpollClient: Scenario = {
  name: 'longpoll-client',
  title: 'Tandem() clients over long-poll beside the WebSocket: queued writes until seen, and fan-out to 1,000 parked polls',
  async run(o) {
    const writes = o.quick ? 3000 : 10_000
    const samples = o.quick ? 8 : 30
    const server = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'longpoll-client.db') })
    let subs: ProtocolClient[] = []
    let writer: BenchClient[] = []
    let polls: ReturnType<typeof parkPolls> | undefined
    try {
      const ws = await throughput(server, 'websocket', writes, 'tw')
      const http = await throughput(server, 'http', writes, 'th')
      o.log(`longpoll-client: ${writes} queued writes seen at ${http.toFixed(0)}/s over long-poll, ${ws.toFixed(0)}/s over WebSocket`)

      writer = await openClients(server, 1)
      // One audience at a time, so neither fan-out pays for the other.
      polls = parkPolls(server, pollers, writer[0]!.cursor())
      const lp: number[] = []
      for (let i = 0; i < samples + 2; i++) {
        const deadline = now() + 10_000
        while (!polls.allParked() && now() < deadline) await pause(5)
        await pause(50)
        const id = `lp-fan-${i}`
        const t = await polls.sample(id, () => void writer[0]!.tasks.create({ id, data: taskData(i) }))
        if (i >= 2) lp.push(t)
      }
      await polls.close()
      polls = undefined

      subs = await openMany(pollers, 100, () => connectProtocol(server.url, server.secretKey, null))
      let arrivals: { remaining: number; marker: string; done?: () => void } = { remaining: 0, marker: '' }
      for (const sub of subs)
        sub.onText = (text) => {
          if (arrivals.remaining > 0 && text.includes(arrivals.marker) && --arrivals.remaining === 0) arrivals.done?.()
        }
      const sock: number[] = []
      for (let i = 0; i < samples + 2; i++) {
        await pause(50)
        const id = `ws-fan-${i}`
        const all = new Promise<void>((resolve) => (arrivals = { remaining: pollers, marker: `"${id}"`, done: resolve }))
        const t0 = now()
        void writer[0]!.tasks.create({ id, data: taskData(i) })
        await withDeadline(all, 30_000, 'websocket fan-out')
        if (i >= 2) sock.push(now() - t0)
      }
      const fan = percentile(lp, 50)
      const fanWs = percentile(sock, 50)
      const results: Result[] = [
        {
          scenario: 'longpoll-client',
          metric: `${writes} queued updates until a 2nd client saw them, long-poll (baseline: WebSocket)`,
          unit: '/s',
          better: 'higher',
          tandem: http,
          baseline: ws,
          note: `Tandem() writer and reader on one transport, 100 rows, durable SQLite; the writer queues every update at once (wait: 'queued')`,
          target: { goal: '≥ 0.5× WebSocket', met: http >= 0.5 * ws },
        },
        {
          scenario: 'longpoll-client',
          metric: `write → last of ${pollers} long-polls answered, p50 (baseline: ${pollers} WebSocket clients)`,
          unit: 'ms',
          better: 'lower',
          tandem: fan,
          baseline: fanWs,
          note: `${lp.length} writes each; ${pollers} parked GET /v1/changes?wait=25 (raw fetch loops, re-polling at once) vs ${pollers} raw WebSocket protocol clients of the same server; includes the durable commit`,
          target: { goal: '≤ 3× WebSocket', met: fan <= 3 * fanWs },
        },
        {
          scenario: 'longpoll-client',
          metric: `write → last of ${pollers} long-polls answered, p99 (baseline: WebSocket)`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(lp, 99),
          baseline: percentile(sock, 99),
        },
      ]
      return results
    } finally {
      await polls?.close()
      await closeAll(subs)
      await closeClients(writer)
      await server.close()
    }
  },
}
