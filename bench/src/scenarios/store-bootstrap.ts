/**
 * @module Bootstrap per store: `Tandem()` until `ready()` with N rows in
 * the local graph (10k quick, 100k full), on the memory, SQLite and Postgres
 * stores. Baseline per store: a bare `ws` server that answers a connection
 * with one raw read of the same rows as one JSON frame, which the client
 * parses and indexes by id (`baselines/ws-snapshot.ts`): `SELECT *` with
 * node:sqlite, `SELECT *` with postgres.js, `JSON.stringify` of an array
 * for memory.
 */
import { join } from 'node:path'
import { loadMeter } from '../lib/load.ts'
import { createBenchDatabase, type BenchDatabase } from '../lib/postgres.ts'
import { seedRows } from '../lib/seed.ts'
import { median, now } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'
import type { ServerRequest, StoreKind } from '../servers/types.ts'
import { bootstrapSample, snapshotSample } from './bootstrap.ts'

async function measureStore(
  o: { quick: boolean; tmpDir: string; log(m: string): void },
  store: StoreKind,
  rows: number,
  db: BenchDatabase | undefined,
): Promise<Result> {
  const reps = 3
  const metric = `${store}: ${rows / 1000}k rows → ready(), median`
  const request: ServerRequest = { kind: 'tandem', store, dbPath: join(o.tmpDir, `store-bootstrap-${store}.db`), ...(db ? { databaseUrl: db.url } : {}) }
  const server = await spawnServer(request)
  let snapshot: ServerHandle | undefined
  try {
    const t0 = now()
    await seedRows(server, 0, rows)
    o.log(`store-bootstrap: ${store}: seeded ${rows} rows in ${(now() - t0).toFixed(0)} ms`)
    snapshot = await spawnServer({ kind: 'ws-snapshot', store, dbPath: request.dbPath!, rows, ...(db ? { databaseUrl: db.url } : {}) })
    const load = loadMeter(server)
    const t: number[] = []
    const b: number[] = []
    const { bytes } = await snapshotSample(snapshot.url, rows)
    await bootstrapSample(server, rows)
    for (let i = 0; i < reps; i++) {
      b.push((await snapshotSample(snapshot.url, rows)).ms)
      t.push(await load.measure(() => bootstrapSample(server, rows)))
    }
    const value = median(t)
    return {
      scenario: 'store-bootstrap',
      metric,
      unit: 'ms',
      better: 'lower',
      tandem: value,
      baseline: median(b),
      note: `median of ${reps} after one warm-up each, interleaved; raw frame ${(bytes / 2 ** 20).toFixed(1)} MiB; Tandem samples ${t.map((x) => x.toFixed(0)).join(', ')} ms, baseline ${b.map((x) => x.toFixed(0)).join(', ')} ms; ${load.describe()}`,
      ...(rows >= 100_000 ? { target: { goal: '< 1 s', met: value < 1000 } } : {}),
    }
  } finally {
    await snapshot?.close()
    await server.close()
  }
}

export const storeBootstrap: Scenario = {
  name: 'store-bootstrap',
  title: 'Tandem() → ready() with N rows, on the memory, sqlite and postgres stores',
  async run(o) {
    const rows = o.quick ? 10_000 : 100_000
    const results: Result[] = []
    for (const store of ['memory', 'sqlite'] as const) results.push(await measureStore(o, store, rows, undefined))
    const db = await createBenchDatabase()
    if ('unavailable' in db) {
      o.log(`store-bootstrap: postgres skipped (no Postgres: ${db.unavailable})`)
      results.push({
        scenario: 'store-bootstrap',
        metric: `postgres: ${rows / 1000}k rows → ready(), median`,
        unit: 'ms',
        better: 'lower',
        tandem: Number.NaN,
        baseline: null,
        skipped: 'skipped (no Postgres)',
      })
      return results
    }
    try {
      results.push(await measureStore(o, 'postgres', rows, db))
    } finally {
      await db.drop()
    }
    return results
  },
}
