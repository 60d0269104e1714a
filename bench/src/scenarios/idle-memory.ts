/**
 * @module Memory per idle connection: 1,000 authenticated WebSocket
 * connections that have bootstrapped and then sit idle, then 1,000 more
 * (the marginal cost, once the memory the process started with in reserve
 * is used up). The server runs in a child process of its own (a worker
 * thread would share the process's RSS with the client sockets);
 * (RSS after − RSS before) / 1,000, each read after a full GC: for Tandem
 * from its `GET /metrics` (`process_resident_memory_bytes`,
 * `nodejs_heap_used_bytes`), for the baseline `ws` relay from the same
 * `process.memoryUsage()` over IPC.
 */
import { join } from 'node:path'
import type WebSocket from 'ws'
import { closeAll, connectProtocol, openMany, openWs, type ProtocolClient } from '../lib/protocol-client.ts'
import { median, pause } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServerProcess, type ProcessServerHandle } from '../servers/spawn-process.ts'

const connections = 1000
const concurrency = 100

interface Reading {
  rss: number
  heap: number
}

/** Tandem's own view of its memory, from GET /metrics, after a full GC in the server process. */
async function tandemReading(server: ProcessServerHandle): Promise<Reading> {
  await server.memory(true)
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const value = (name: string) => {
    const m = text.match(new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm'))
    if (!m) throw new Error(`bench: /metrics has no ${name}`)
    return Number(m[1])
  }
  const open = value('tandem_connections')
  if (open !== 0 && open !== connections && open !== 2 * connections) throw new Error(`bench: /metrics reports ${open} connections`)
  return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_used_bytes') }
}

async function relayReading(server: ProcessServerHandle): Promise<Reading> {
  const m = await server.memory(true)
  return { rss: m.rss, heap: m.heapUsed }
}

interface PerConnection {
  /** Bytes per connection over the first `connections` (the definition). */
  rss: number
  heap: number
  /** Bytes per connection over a second `connections` on top of the first: the marginal cost, once the slack the process started with is used up. */
  marginalRss: number
  marginalHeap: number
  before: Reading
  after: Reading
}

/** Warm up, read, open `connections` idle sockets with `open`, settle, read; open as many again, read again. */
async function perConnection(read: () => Promise<Reading>, open: () => Promise<ProtocolClient | WebSocket>): Promise<PerConnection> {
  // Warm-up: code paths compiled, pools and buffers allocated once, before the first reading.
  const warm = await openMany(50, concurrency, open)
  await closeAll(warm)
  await pause(300)
  const before = await read()
  const first = await openMany(connections, concurrency, open)
  await pause(500)
  const after = await read()
  const second = await openMany(connections, concurrency, open)
  await pause(500)
  const after2 = await read()
  await closeAll([...first, ...second])
  return {
    rss: (after.rss - before.rss) / connections,
    heap: (after.heap - before.heap) / connections,
    marginalRss: (after2.rss - after.rss) / connections,
    marginalHeap: (after2.heap - after.heap) / connections,
    before,
    after,
  }
}

export const idleMemory: Scenario = {
  name: 'memory',
  title: `server memory per idle authenticated WebSocket connection (${connections}, then ${2 * connections} connections)`,
  async run(o) {
    const reps = o.quick ? 3 : 5
    const t: PerConnection[] = []
    const b: PerConnection[] = []
    let detail = ''
    for (let r = 0; r < reps; r++) {
      // A fresh server process per round, so every round starts from the same state.
      const relay = await spawnServerProcess({ kind: 'relay' })
      try {
        b.push(
          await perConnection(
            () => relayReading(relay),
            () => openWs(relay.url),
          ),
        )
      } finally {
        await relay.close()
      }
      const tandem = await spawnServerProcess({ kind: 'tandem', dbPath: join(o.tmpDir, `memory-${r}.db`) })
      try {
        const m = await perConnection(
          () => tandemReading(tandem),
          () => connectProtocol(tandem.url, tandem.secretKey, null),
        )
        t.push(m)
        detail = `Tandem RSS ${(m.before.rss / 2 ** 20).toFixed(1)} → ${(m.after.rss / 2 ** 20).toFixed(1)} MiB, heap ${(m.before.heap / 2 ** 20).toFixed(1)} → ${(m.after.heap / 2 ** 20).toFixed(1)} MiB`
      } finally {
        await tandem.close()
      }
    }
    o.log(`memory: Tandem ${t.map((x) => (x.rss / 1024).toFixed(1)).join(', ')} KiB/conn, relay ${b.map((x) => (x.rss / 1024).toFixed(1)).join(', ')} KiB/conn`)
    const rss = median(t.map((x) => x.rss)) / 1024
    const heap = median(t.map((x) => x.heap)) / 1024
    const results: Result[] = [
      {
        scenario: 'memory',
        metric: `RSS per idle connection (${connections} open)`,
        unit: 'KiB',
        better: 'lower',
        tandem: rss,
        baseline: median(b.map((x) => x.rss)) / 1024,
        note: `median of ${reps} rounds (Tandem ${t.map((x) => (x.rss / 1024).toFixed(1)).join(', ')} KiB, relay ${b.map((x) => (x.rss / 1024).toFixed(1)).join(', ')} KiB), each with fresh server processes; connections authenticated with the secret key, bootstrapped (empty project) and idle for 0.5 s; readings after a full GC; last round: ${detail}`,
        target: { goal: '< 20 KB', met: rss * 1024 < 20_000 },
      },
      {
        scenario: 'memory',
        metric: `JS heap per idle connection (${connections} open)`,
        unit: 'KiB',
        better: 'lower',
        tandem: heap,
        baseline: median(b.map((x) => x.heap)) / 1024,
      },
      {
        scenario: 'memory',
        metric: `RSS per idle connection, ${connections} → ${2 * connections} open`,
        unit: 'KiB',
        better: 'lower',
        tandem: median(t.map((x) => x.marginalRss)) / 1024,
        baseline: median(b.map((x) => x.marginalRss)) / 1024,
        note: `the marginal cost: ${connections} more connections on top of the first ${connections}, once the slack of resident memory each process started with is used up (Tandem ${t.map((x) => (x.marginalRss / 1024).toFixed(1)).join(', ')} KiB, relay ${b.map((x) => (x.marginalRss / 1024).toFixed(1)).join(', ')} KiB; JS heap Tandem ${(median(t.map((x) => x.marginalHeap)) / 1024).toFixed(2)} KiB, relay ${(median(b.map((x) => x.marginalHeap)) / 1024).toFixed(2)} KiB)`,
        target: { goal: '< 20 KB', met: median(t.map((x) => x.marginalRss)) < 20_000 },
      },
    ]
    return results
  },
}
