/**
 * @module HTTP commit throughput: 10 concurrent requesters POST one create
 * each to /v1/commits, each awaiting its answer before the next. Baseline:
 * a bare node:http endpoint that inserts into raw SQLite with per-tick group
 * commit (baselines/http-sqlite.ts).
 */
import { join } from 'node:path'
import { loadMeter } from '../lib/load.ts'
import { postCommit } from '../lib/http.ts'
import { taskData } from '../lib/schema.ts'
import { now, percentile } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

const requesters = 10

async function run(server: ServerHandle, budget: number, timeCapMs: number, latencies: number[]): Promise<{ done: number; ms: number }> {
  let issued = 0
  let done = 0
  const start = now()
  const deadline = start + timeCapMs
  await Promise.all(
    Array.from({ length: requesters }, async () => {
      while (issued < budget && now() < deadline) {
        const i = issued++
        const t0 = now()
        await postCommit(server.url, server.secretKey, [{ op: 'create', model: 'tasks', data: taskData(i) }])
        latencies.push(now() - t0)
        done++
      }
    }),
  )
  return { done, ms: now() - start }
}

export const httpCommits: Scenario = {
  name: 'http',
  title: `POST /v1/commits throughput with ${requesters} concurrent requesters`,
  async run(o) {
    const budget = o.quick ? 3000 : 20_000
    const timeCapMs = o.quick ? 10_000 : 60_000
    const rounds = 2
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'http.db') })
    const base = await spawnServer({ kind: 'http-sqlite', dbPath: join(o.tmpDir, 'http-raw.db') })
    const tLoad = loadMeter(tandem)
    const bLoad = loadMeter(base)
    const t = { done: 0, ms: 0, lat: [] as number[] }
    const b = { done: 0, ms: 0, lat: [] as number[] }
    try {
      await run(tandem, 100, 5000, [])
      await run(base, 100, 5000, [])
      for (let r = 0; r < rounds; r++) {
        const br = await bLoad.measure(() => run(base, budget / rounds, timeCapMs / rounds, b.lat))
        b.done += br.done
        b.ms += br.ms
        const tr = await tLoad.measure(() => run(tandem, budget / rounds, timeCapMs / rounds, t.lat))
        t.done += tr.done
        t.ms += tr.ms
      }
    } finally {
      await Promise.all([tandem.close(), base.close()])
    }
    o.log(`http: Tandem ${t.done} commits in ${t.ms.toFixed(0)} ms, baseline ${b.done} in ${b.ms.toFixed(0)} ms`)
    const results: Result[] = [
      {
        scenario: 'http',
        metric: `commits/s, ${requesters} requesters`,
        unit: '/s',
        better: 'higher',
        tandem: (t.done / t.ms) * 1000,
        baseline: (b.done / b.ms) * 1000,
        note: `${t.done} Tandem / ${b.done} baseline requests, one create each, fetch() keep-alive; Tandem: ${tLoad.describe()}; baseline: ${bLoad.describe()}`,
      },
      { scenario: 'http', metric: 'request latency, p50', unit: 'ms', better: 'lower', tandem: percentile(t.lat, 50), baseline: percentile(b.lat, 50) },
      { scenario: 'http', metric: 'request latency, p99', unit: 'ms', better: 'lower', tandem: percentile(t.lat, 99), baseline: percentile(b.lat, 99) },
    ]
    return results
  },
}
