/**
 * @module Reconnect after missed changes: a client that was synced at
 * syncId C goes away, 10,000 commits happen (one create each), and it comes
 * back with `cursor: C`; the time from opening the socket until `synced`.
 *
 * Two clients are measured: a raw protocol client (`lib/protocol-client.ts`:
 * hello with the cursor, JSON.parse of every frame, no validation), which
 * shows the server's cost, and a real `Tandem()` client whose transport is
 * held offline while the commits happen (`gatedTransport` below), which
 * adds the client's validation and graph updates. Baseline: a bare `ws`
 * server that reads every `_tandem_log` row after C with one raw SELECT and
 * sends them as one JSON frame (`baselines/ws-snapshot.ts`, `log` mode).
 */
import { join } from 'node:path'
import Tandem, { websocketTransport, type Transport, type TransportConnection, type TransportHandlers } from '@tandem/core'
import type { BenchClient } from '../lib/clients.ts'
import { loadMeter } from '../lib/load.ts'
import { connectProtocol, openWs, type ProtocolClient } from '../lib/protocol-client.ts'
import { schema, taskData } from '../lib/schema.ts'
import { median, now, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

const missed = 10_000

/**
 * The WebSocket transport behind a switch: `drop()` closes the connection
 * and keeps the client offline (its reconnect attempts wait) until
 * `reconnect()`, which resolves when the server says `synced`.
 */
function gatedTransport() {
  const inner = websocketTransport()
  let open = true
  let current: TransportConnection | undefined
  let waiting: (() => void) | undefined
  let onSynced: (() => void) | undefined
  const transport: Transport = {
    kind: inner.kind,
    connect(baseURL, handlers: TransportHandlers) {
      const watched: TransportHandlers = {
        ...handlers,
        onFrame(frame) {
          handlers.onFrame(frame)
          if (frame.type === 'synced') onSynced?.()
        },
      }
      let conn: TransportConnection | undefined
      let closed = false
      const start = () => {
        if (closed) return
        conn = current = inner.connect(baseURL, watched)
      }
      if (open) start()
      else waiting = start
      return {
        send: (frame) => conn?.send(frame),
        close() {
          closed = true
          conn?.close()
        },
      }
    },
  }
  return {
    transport,
    drop() {
      open = false
      current?.close()
    },
    /** Open the gate; resolves once the client has applied everything up to `synced`. */
    reconnect(): Promise<void> {
      open = true
      const synced = new Promise<void>((resolve) => (onSynced = resolve))
      const start = waiting
      waiting = undefined
      start?.()
      return synced
    },
    /** True once the client has asked to reconnect (and waits at the gate). */
    get parked() {
      return waiting !== undefined
    },
  }
}

/** 10,000 commits (one create each) from one raw protocol client, 200 in flight. */
async function commitMany(server: ServerHandle, count: number, offset: number): Promise<number> {
  const writer = await connectProtocol(server.url, server.secretKey, null)
  const start = now()
  try {
    let next = 0
    const lane = async () => {
      while (next < count) {
        const i = offset + next++
        await writer.rpc('commit', { operations: [{ op: 'create', model: 'tasks', id: `missed-${i}`, data: taskData(i) }] })
      }
    }
    await Promise.all(Array.from({ length: 200 }, lane))
    return now() - start
  } finally {
    writer.close()
  }
}

async function baselineSample(url: string, after: number): Promise<number> {
  const start = now()
  const ws = await openWs(`${url}/?after=${after}`)
  const text = await withDeadline(new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString()))), 30_000, 'raw log read')
  const parsed = JSON.parse(text) as { entries: unknown[] }
  const ms = now() - start
  ws.close()
  if (parsed.entries.length !== missed) throw new Error(`bench: raw log read gave ${parsed.entries.length} entries, expected ${missed}`)
  return ms
}

async function protocolSample(server: ServerHandle, cursor: number): Promise<ProtocolClient> {
  const c = await connectProtocol(server.url, server.secretKey, cursor)
  c.close()
  if (c.entries !== missed) throw new Error(`bench: catch-up gave ${c.entries} entries, expected ${missed}`)
  return c
}

export const reconnect: Scenario = {
  name: 'reconnect',
  title: `reconnect with a cursor after ${missed.toLocaleString('en')} missed changes, until synced`,
  async run(o) {
    const reps = o.quick ? 3 : 7
    const dbPath = join(o.tmpDir, 'reconnect.db')
    const tandem = await spawnServer({ kind: 'tandem', dbPath })
    const clients: Array<{ client: BenchClient; gate: ReturnType<typeof gatedTransport> }> = []
    let snapshot: ServerHandle | undefined
    try {
      await commitMany(tandem, 100, -100) // some history before the cursor
      // Real clients (one per Tandem sample, each has to come back from the same cursor), synced, then dropped.
      for (let i = 0; i < reps; i++) {
        const gate = gatedTransport()
        const client: BenchClient = Tandem({ schema, baseURL: tandem.url, apiKey: tandem.secretKey, transport: gate.transport })
        await withDeadline(client.ready(), 10_000, 'client ready')
        clients.push({ client, gate })
      }
      const cursor = (await connectProtocol(tandem.url, tandem.secretKey, null).then((c) => (c.close(), c))).syncId
      for (const { client, gate } of clients) {
        if (client.cursor() !== cursor) throw new Error(`bench: client cursor ${client.cursor()} is not ${cursor}`)
        gate.drop()
      }
      const writeMs = await commitMany(tandem, missed, 0)
      o.log(`reconnect: ${missed} commits in ${writeMs.toFixed(0)} ms (${((missed / writeMs) * 1000).toFixed(0)}/s, one raw protocol client, 200 in flight)`)
      // Every real client must be parked at the gate (it retries after a backoff of about 250 ms).
      await withDeadline(
        (async () => {
          while (!clients.every((c) => c.gate.parked)) await new Promise((r) => setTimeout(r, 20))
        })(),
        10_000,
        'clients parked',
      )
      snapshot = await spawnServer({ kind: 'ws-snapshot', snapshot: 'log', dbPath })
      const load = loadMeter(tandem)
      const raw: number[] = []
      const real: number[] = []
      const base: number[] = []
      let bytes = 0
      await baselineSample(snapshot.url, cursor) // warm-up
      await protocolSample(tandem, cursor)
      for (let i = 0; i < reps; i++) {
        base.push(await baselineSample(snapshot.url, cursor))
        const c = await load.measure(() => protocolSample(tandem, cursor))
        raw.push(c.ms)
        bytes = c.bytes
        const { client, gate } = clients[i]!
        const t0 = now()
        await load.measure(() => withDeadline(gate.reconnect(), 60_000, 'Tandem client catch-up'))
        real.push(now() - t0)
        if (client.cursor() < cursor + missed) throw new Error(`bench: client caught up to ${client.cursor()}, expected ≥ ${cursor + missed}`)
      }
      const note = `median of ${reps}, interleaved; ${missed} log entries of one create each after the cursor, sent as ${Math.ceil(missed / 1000)} changes frames (${(bytes / 2 ** 20).toFixed(1)} MiB); raw protocol samples ${raw.map((x) => x.toFixed(0)).join(', ')} ms, Tandem client ${real.map((x) => x.toFixed(0)).join(', ')} ms; during Tandem ${load.describe()}`
      const results: Result[] = [
        {
          scenario: 'reconnect',
          metric: `${missed / 1000}k missed → synced, protocol client, median`,
          unit: 'ms',
          better: 'lower',
          tandem: median(raw),
          baseline: median(base),
          note,
        },
        {
          scenario: 'reconnect',
          metric: `${missed / 1000}k missed → synced, Tandem() client, median`,
          unit: 'ms',
          better: 'lower',
          tandem: median(real),
          baseline: median(base),
        },
      ]
      return results
    } finally {
      await Promise.all(clients.map(({ client }) => client.dispose()))
      await Promise.all([tandem.close(), snapshot?.close()])
    }
  },
}
