/**
 * @module Bootstrap: time from `Tandem()` to `ready()` with every row in the
 * local graph. Baseline: a raw `SELECT *` of the same SQLite file sent as one
 * JSON WebSocket frame, parsed and indexed by id on the client.
 */
import { join } from 'node:path'
import { websocketTransport, type Transport } from '@tandem/core'
import { loadMeter } from '../lib/load.ts'
import { schema } from '../lib/schema.ts'
import { seedRows } from '../lib/seed.ts'
import { openSocket } from '../lib/sockets.ts'
import { median, now, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'
import Tandem from '@tandem/core'

/** The server refused to finish the bootstrap (it closed the socket); carries the close code. */
export class BootstrapRefused extends Error {
  readonly code: number
  constructor(code: number, reason: string) {
    super(`bench: the server closed the connection during bootstrap (code ${code} ${reason})`)
    this.code = code
  }
}

export async function bootstrapSample(server: Pick<ServerHandle, 'url' | 'secretKey'>, rows: number): Promise<number> {
  let refuse: (e: Error) => void = () => {}
  const refused = new Promise<never>((_, reject) => (refuse = reject))
  refused.catch(() => undefined)
  // The default transport, watched so a server-side close fails the sample at once instead of retrying forever.
  const inner = websocketTransport()
  const transport: Transport = {
    kind: inner.kind,
    connect: (url, handlers) => inner.connect(url, { ...handlers, onClose: (e) => (refuse(new BootstrapRefused(e.code, e.reason)), handlers.onClose(e)) }),
  }
  const start = now()
  const client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport })
  try {
    await withDeadline(Promise.race([client.ready(), refused]), 120_000, `bootstrap of ${rows} rows`)
    const elapsed = now() - start
    const have = client.tasks.getCount()
    if (have !== rows) throw new Error(`bench: bootstrap gave ${have} rows, expected ${rows}`)
    return elapsed
  } finally {
    await client.dispose()
  }
}

export async function snapshotSample(url: string, rows: number): Promise<{ ms: number; bytes: number }> {
  const start = now()
  const socket = await openSocket(url)
  const text = await withDeadline(
    new Promise<string>((resolve) => (socket.onmessage = (e: MessageEvent) => resolve(e.data as string))),
    120_000,
    'raw snapshot',
  )
  const parsed = JSON.parse(text) as { rows: Array<{ id: string }> }
  const byId = new Map(parsed.rows.map((r) => [r.id, r]))
  const ms = now() - start
  socket.close()
  if (byId.size !== rows) throw new Error(`bench: raw snapshot gave ${byId.size} rows, expected ${rows}`)
  return { ms, bytes: Buffer.byteLength(text) }
}

/** Interleaved samples of Tandem and the raw snapshot, after one warm-up of each. */
async function measure(server: ServerHandle, dbPath: string, rows: number, reps: number) {
  const snapshot = await spawnServer({ kind: 'ws-snapshot', dbPath })
  const load = loadMeter(server)
  const t: number[] = []
  const b: number[] = []
  let bytes = 0
  try {
    bytes = (await snapshotSample(snapshot.url, rows)).bytes
    await bootstrapSample(server, rows)
    for (let i = 0; i < reps; i++) {
      b.push((await snapshotSample(snapshot.url, rows)).ms)
      t.push(await load.measure(() => bootstrapSample(server, rows)))
    }
  } finally {
    await snapshot.close()
  }
  return { t, b, bytes, load: load.describe() }
}

export const bootstrap: Scenario = {
  name: 'bootstrap',
  title: 'Tandem() → ready() with N rows in the local graph',
  async run(o) {
    const sizes = [10_000, 100_000]
    const dbPath = join(o.tmpDir, 'bootstrap.db')
    let server = await spawnServer({ kind: 'tandem', dbPath })
    const results: Result[] = []
    try {
      let seeded = 0
      for (const rows of sizes) {
        const t0 = now()
        await seedRows(server, seeded, rows)
        seeded = rows
        o.log(`bootstrap: seeded ${rows} rows in ${(now() - t0).toFixed(0)} ms`)
        const reps = rows >= 100_000 ? (o.quick ? 2 : 3) : 5
        const metric = `${rows / 1000}k rows → ready(), median`
        let m
        try {
          m = await measure(server, dbPath, rows, reps)
        } catch (error) {
          if (!(error instanceof BootstrapRefused)) throw error
          // Record the failure with default limits, then measure with the limit raised so there is still a number.
          o.log(`bootstrap: ${rows} rows refused with default limits (${error.message}); retrying with maxBufferedBytes = 1 GiB`)
          results.push({
            scenario: 'bootstrap',
            metric: `${metric} (default limits)`,
            unit: 'ms',
            better: 'lower',
            tandem: Number.NaN,
            baseline: null,
            note: `FAILS: ${error.message}; the client reconnects and never becomes ready`,
            target: { goal: '< 1 s', met: false },
          })
          await server.close()
          server = await spawnServer({ kind: 'tandem', dbPath, maxBufferedBytes: 1 << 30 })
          m = await measure(server, dbPath, rows, reps)
          results.push({
            scenario: 'bootstrap',
            metric: `${metric} (maxBufferedBytes 1 GiB)`,
            unit: 'ms',
            better: 'lower',
            tandem: median(m.t),
            baseline: median(m.b),
            note: noteOf(m, reps),
          })
          continue
        }
        const target = rows >= 100_000 ? { target: { goal: '< 1 s', met: median(m.t) < 1000 } } : {}
        results.push({
          scenario: 'bootstrap',
          metric,
          unit: 'ms',
          better: 'lower',
          tandem: median(m.t),
          baseline: median(m.b),
          note: noteOf(m, reps),
          ...target,
        })
      }
    } finally {
      await server.close()
    }
    return results
  },
}

function noteOf(m: { t: number[]; bytes: number; load: string }, reps: number): string {
  return `median of ${reps} (after one warm-up each), interleaved; raw snapshot ${(m.bytes / 2 ** 20).toFixed(1)} MiB; Tandem samples ${m.t.map((x) => x.toFixed(0)).join(', ')} ms, ${m.load}`
}
