/**
 * @module Commits/s on `postgresStore`: W Tandem clients (1, 10), each
 * awaiting every create() before the next, against a throwaway database on
 * the local Postgres. Baselines, measured in the same run on the same
 * database: raw postgres.js inserts with W connections, one insert per
 * transaction; and, for 10 writers, one connection inserting 10 rows per
 * transaction (the best grouping 10 one-at-a-time writers allow). Without
 * Postgres the rows say "skipped (no Postgres)".
 */
import { openRawPostgres, type RawPostgres } from '../baselines/postgres-raw.ts'
import { closeClients, openClients } from '../lib/clients.ts'
import { newCounts } from '../lib/frame-counter.ts'
import { loadMeter } from '../lib/load.ts'
import { createBenchDatabase, type BenchDatabase } from '../lib/postgres.ts'
import { percentile } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'
import { runWriters } from './commits.ts'

const metrics = ['commits/s, 1 writer', 'commits/s, 10 writers', 'commits/s, 10 writers (baseline batched)'] as const

const rate = (x: { done: number; ms: number }) => (x.done / x.ms) * 1000
const add = (into: { done: number; ms: number }, x: { done: number; ms: number }) => {
  into.done += x.done
  into.ms += x.ms
}

async function measure(o: { quick: boolean; log(m: string): void }, server: ServerHandle, raw: RawPostgres, db: BenchDatabase): Promise<Result[]> {
  const results: Result[] = []
  const rounds = 2
  for (const writers of [1, 10]) {
    const budget = o.quick ? (writers === 1 ? 800 : 2000) : 10_000
    const capMs = o.quick ? 4000 : 30_000
    const counts = newCounts()
    const clients = await openClients(server, writers, counts)
    const load = loadMeter(server)
    const tandem = { done: 0, ms: 0 }
    const base = { done: 0, ms: 0 }
    const batched = { done: 0, ms: 0 }
    const latencies: number[] = []
    try {
      await runWriters(clients, 50, 5000, []) // warm-up: prepared statements, pool connections
      for (let r = 0; r < rounds; r++) {
        add(base, await raw.insert(budget / rounds, writers, 1, capMs / rounds))
        if (writers > 1) add(batched, await raw.insert(budget / rounds, 1, writers, capMs / rounds))
        add(tandem, await load.measure(() => runWriters(clients, budget / rounds, capMs / rounds, latencies)))
      }
    } finally {
      await closeClients(clients)
    }
    o.log(`postgres: ${writers} writer(s): Tandem ${tandem.done} commits in ${tandem.ms.toFixed(0)} ms, raw ${base.done} in ${base.ms.toFixed(0)} ms`)
    const note =
      `${tandem.done} Tandem commits (create() awaited; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; ` +
      `${(counts.entries / Math.max(1, counts.changesFrames)).toFixed(1)} commits per changes frame; ${load.describe()}); baseline ${base.done} raw inserts from ${writers} connection(s), one per transaction; ` +
      `Postgres ${db.settings.version}, synchronous_commit=${db.settings.synchronousCommit}, fsync=${db.settings.fsync}, on the same 2 cores`
    results.push({
      scenario: 'postgres',
      metric: metrics[writers === 1 ? 0 : 1],
      unit: '/s',
      better: 'higher',
      tandem: rate(tandem),
      baseline: rate(base),
      note,
    })
    if (writers > 1) {
      results.push({
        scenario: 'postgres',
        metric: metrics[2],
        unit: '/s',
        better: 'higher',
        tandem: rate(tandem),
        baseline: rate(batched),
        note: `baseline ${batched.done} raw inserts from one connection, ${writers} per transaction`,
      })
    }
  }
  return results
}

export const postgresCommits: Scenario = {
  name: 'postgres',
  title: 'durable commits/s on postgresStore with 1 and 10 writers vs raw postgres.js inserts',
  async run(o) {
    const db = await createBenchDatabase()
    if ('unavailable' in db) {
      o.log(`postgres: skipped (no Postgres: ${db.unavailable})`)
      return metrics.map((metric) => ({
        scenario: 'postgres',
        metric,
        unit: '/s',
        better: 'higher' as const,
        tandem: Number.NaN,
        baseline: null,
        skipped: 'skipped (no Postgres)',
      }))
    }
    let server: ServerHandle | undefined
    let raw: RawPostgres | undefined
    try {
      server = await spawnServer({ kind: 'tandem', store: 'postgres', databaseUrl: db.url })
      raw = await openRawPostgres(db.url, 10)
      return await measure(o, server, raw, db)
    } finally {
      await raw?.close()
      await server?.close()
      await db.drop()
    }
  },
}
