/**
 * @module Commits/s on SQLite: W Tandem clients (1, 10, 100), each awaiting
 * every create() before the next. Baseline: raw node:sqlite inserts with the
 * same pragmas, one transaction per insert for 1 writer and transactions of
 * W inserts for W writers (the best grouping W one-at-a-time writers allow).
 */
import { join } from 'node:path'
import { openRawDb, type RawDb } from '../baselines/sqlite-raw.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { newCounts } from '../lib/frame-counter.ts'
import { loadMeter } from '../lib/load.ts'
import { taskData } from '../lib/schema.ts'
import { now, percentile } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer } from '../servers/spawn.ts'

/** Every writer loops create() until the shared budget or the deadline is reached. */
async function runWriters(clients: readonly BenchClient[], budget: number, timeCapMs: number, latencies: number[]): Promise<{ done: number; ms: number }> {
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
    return results
  },
}
