/**
 * @module Commits/s on SQLite: W Tandem clients (1, 10, 100), each awaiting
 * every create() before the next. Baseline: raw node:sqlite inserts with the
 * same pragmas, one transaction per insert for 1 writer and transactions of
 * W inserts for W writers (the best grouping W one-at-a-time writers allow).
 */
import { join } from 'node:path'
import { openRawDb, type RawDb } from '../baselines/sqlite-raw.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { closeAll, connectProtocol, openMany, type ProtocolClient } from '../lib/protocol-client.ts'
import { newCounts } from '../lib/frame-counter.ts'
import { loadMeter } from '../lib/load.ts'
import { taskData } from '../lib/schema.ts'
import { now, percentile } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer } from '../servers/spawn.ts'

/** Every writer loops create() until the shared budget or the deadline is reached (also used by the postgres scenario). */
export async function runWriters(
  clients: readonly BenchClient[],
  budget: number,
  timeCapMs: number,
  latencies: number[],
): Promise<{ done: number; ms: number }> {
  let issued = 0
  let done = 0
  const start = now()
  const deadline = start + timeCapMs
  await Promise.all(
    clients.map(async (client) => {
      while (issued < budget && now() < deadline) {
        const i = issued++
        const t0 = now()
        await client.tasks.create({ data: taskData(i) })
        latencies.push(now() - t0)
        done++
      }
    }),
  )
  return { done, ms: now() - start }
}

/**
 * The server's ceiling without the client thread in the way: raw protocol
 * clients (no validation, no local graph), each keeping `inFlight` commit
 * requests (one create each) outstanding.
 */
let pipelinedIds = 0

async function runPipelined(writers: readonly ProtocolClient[], inFlight: number, budget: number, timeCapMs: number): Promise<{ done: number; ms: number }> {
  let issued = 0
  let done = 0
  const start = now()
  const deadline = start + timeCapMs
  const lane = async (w: ProtocolClient) => {
    while (issued < budget && now() < deadline) {
      issued++
      const i = pipelinedIds++
      await w.rpc('commit', { operations: [{ op: 'create', model: 'tasks', id: `p-${i}`, data: taskData(i) }] })
      done++
    }
  }
  await Promise.all(writers.flatMap((w) => Array.from({ length: inFlight }, () => lane(w))))
  return { done, ms: now() - start }
}

function runRaw(db: RawDb, budget: number, perTransaction: number, timeCapMs: number): { done: number; ms: number } {
  let done = 0
  let ms = 0
  const chunk = perTransaction * Math.max(1, Math.floor(100 / perTransaction))
  while (done < budget && ms < timeCapMs) {
    const n = Math.min(chunk, budget - done)
    ms += db.insert(n, perTransaction)
    done += n
  }
  return { done, ms }
}

export const commits: Scenario = {
  name: 'commits',
  title: 'durable commits/s on SQLite with 1, 10 and 100 concurrent writers',
  async run(o) {
    const budget = o.quick ? 3000 : 20_000
    const timeCapMs = o.quick ? 8000 : 60_000
    const rounds = 2
    const results: Result[] = []
    for (const writers of [1, 10, 100]) {
      const server = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, `commits-${writers}.db`) })
      const counts = newCounts()
      const clients = await openClients(server, writers, counts)
      const load = loadMeter(server)
      const raw = openRawDb(join(o.tmpDir, `commits-raw-${writers}.db`))
      const tandem = { done: 0, ms: 0 }
      const base = { done: 0, ms: 0 }
      const latencies: number[] = []
      try {
        for (let r = 0; r < rounds; r++) {
          // Alternate baseline and Tandem halves so both share the background load.
          const b = runRaw(raw, budget / rounds, writers, timeCapMs / rounds)
          base.done += b.done
          base.ms += b.ms
          const t = await load.measure(() => runWriters(clients, budget / rounds, timeCapMs / rounds, latencies))
          tandem.done += t.done
          tandem.ms += t.ms
        }
      } finally {
        raw.close()
        await closeClients(clients)
        await server.close()
      }
      o.log(`commits: ${writers} writer(s): Tandem ${tandem.done} commits in ${tandem.ms.toFixed(0)} ms, raw ${base.done} in ${base.ms.toFixed(0)} ms`)
      results.push({
        scenario: 'commits',
        metric: `commits/s, ${writers} writer${writers === 1 ? '' : 's'}`,
        unit: '/s',
        better: 'higher',
        tandem: (tandem.done / tandem.ms) * 1000,
        baseline: (base.done / base.ms) * 1000,
        note:
          `${tandem.done} Tandem commits (create() awaited; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; ` +
          `${(counts.entries / Math.max(1, counts.changesFrames)).toFixed(1)} commits per changes frame; ${load.describe()}); baseline ${base.done} raw inserts, ${writers} per transaction`,
      })
    }
    results.push(...(await pipelined(o)))
    return results
  },
}

/**
 * Two rows: 10 protocol clients × 20 commits in flight against Tandem, vs raw
 * inserts 200 per transaction, and vs the thinnest durable WebSocket server
 * (`ws-durable`) driven by the same clients.
 */
async function pipelined(o: { quick: boolean; tmpDir: string; log(m: string): void }): Promise<Result[]> {
  const connections = 10
  const inFlight = 20
  const budget = o.quick ? 10_000 : 50_000
  const timeCapMs = o.quick ? 6000 : 30_000
  const rounds = 2
  const server = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'commits-pipelined.db') })
  const floor = await spawnServer({ kind: 'ws-durable', dbPath: join(o.tmpDir, 'commits-floor.db') })
  const raw = openRawDb(join(o.tmpDir, 'commits-raw-pipelined.db'))
  const load = loadMeter(server)
  const tandem = { done: 0, ms: 0 }
  const base = { done: 0, ms: 0 }
  const thin = { done: 0, ms: 0 }
  const open = (url: string, token: string) => openMany(connections, connections, () => connectProtocol(url, token, null))
  const writers = await open(server.url, server.secretKey)
  const floorWriters = await open(floor.url, 'bench')
  try {
    await runPipelined(writers, inFlight, 1000, 5000) // warm-up
    await runPipelined(floorWriters, inFlight, 1000, 5000)
    for (let r = 0; r < rounds; r++) {
      const b = runRaw(raw, budget / rounds, connections * inFlight, timeCapMs / rounds)
      base.done += b.done
      base.ms += b.ms
      const t = await load.measure(() => runPipelined(writers, inFlight, budget / rounds, timeCapMs / rounds))
      tandem.done += t.done
      tandem.ms += t.ms
      const f = await runPipelined(floorWriters, inFlight, budget / rounds, timeCapMs / rounds)
      thin.done += f.done
      thin.ms += f.ms
    }
  } finally {
    raw.close()
    await closeAll([...writers, ...floorWriters])
    await Promise.all([server.close(), floor.close()])
  }
  o.log(
    `commits: ${connections * inFlight} in flight: Tandem ${tandem.done} commits in ${tandem.ms.toFixed(0)} ms, raw ${base.done} in ${base.ms.toFixed(0)} ms, ws-durable ${thin.done} in ${thin.ms.toFixed(0)} ms`,
  )
  const value = (tandem.done / tandem.ms) * 1000
  const metric = `commits/s, ${connections * inFlight} in flight (protocol clients)`
  return [
    {
      scenario: 'commits',
      metric,
      unit: '/s',
      better: 'higher',
      tandem: value,
      baseline: (base.done / base.ms) * 1000,
      note: `${tandem.done} commits of one create each from ${connections} raw protocol clients with ${inFlight} requests outstanding each (the server's ceiling, without client-side validation and graph work); ${load.describe()}; baseline ${base.done} raw inserts, ${connections * inFlight} per transaction`,
      target: { goal: '≥ 50,000 commits/s', met: value >= 50_000 },
    },
    {
      scenario: 'commits',
      metric: `${metric}, vs durable floor`,
      unit: '/s',
      better: 'higher',
      tandem: value,
      baseline: (thin.done / thin.ms) * 1000,
      note: `baseline: ${thin.done} commits through the thinnest durable WebSocket server (ws-durable: JSON.parse, rows and log entries of a turn in one SQLite transaction with synchronous=FULL, results and one changes frame to every socket) from the same clients on the same thread: what this machine allows once a commit travels over sockets and reaches every subscriber`,
    },
  ]
}
