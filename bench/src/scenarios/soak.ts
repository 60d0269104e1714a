/**
 * @module Memory under churn: rounds of connecting and dropping hundreds of
 * sockets with subscriptions, held and queued claims (WebSocket and HTTP),
 * parked long-polls and commits (`lib/soak-round.ts`), against one server
 * in a child process of its own. JS heap and RSS are read after a full GC
 * (over the bench's IPC channel, not a server route) once a warm-up round
 * has settled, and again after the last round has settled. Target: the heap
 * after the soak within 10% of the heap before it. On SQLite (the claims
 * coordinator in memory) and, fewer rounds, on postgresStore (claim lines in
 * the store, the coordinator for several nodes); skipped without Postgres.
 *
 * The server runs with `--no-flush-bytecode`: otherwise V8 drops the
 * bytecode of startup-only functions a few rounds in (about 4.5 MiB), and
 * the "after" reading would look smaller than the "before" whatever leaked.
 *
 * `TANDEM_BENCH_HEAP_SNAPSHOTS=<dir>` also writes a V8 heap snapshot of the
 * server at both readings, to diff in Chrome DevTools (Memory → Comparison).
 */
import { join } from 'node:path'
import { createBenchDatabase } from '../lib/postgres.ts'
import { runRound, type RoundCounts, type RoundSize } from '../lib/soak-round.ts'
import { now, pause } from '../lib/stats.ts'
import type { BenchOptions, Result, Scenario } from '../lib/types.ts'
import { spawnServerProcess, type ProcessMemory } from '../servers/spawn-process.ts'
import type { ServerRequest } from '../servers/types.ts'

/** Longer than the disconnect grace (5 s by default) and the leases left to expire (1 s): what a round leaves behind has ended. */
const settleMs = 6500
const mib = (bytes: number) => bytes / 2 ** 20

interface Plan {
  store: 'sqlite' | 'postgres'
  rounds: number
  size: RoundSize
}

const metrics = {
  heap: 'JS heap after a full GC: after the soak (Tandem) vs before (baseline)',
  rss: 'RSS after a full GC: after the soak (Tandem) vs before (baseline)',
}

async function soakOn(o: BenchOptions, request: ServerRequest, plan: Plan): Promise<Result[]> {
  const snapshots = process.env['TANDEM_BENCH_HEAP_SNAPSHOTS']
  const roundCapMs = o.quick ? 20_000 : 40_000
  const totalCapMs = o.quick ? 150_000 : 900_000
  // V8 drops the bytecode of functions unused for a while (startup code: about 4.5 MiB, some rounds in): it would hide growth.
  const server = await spawnServerProcess(request, ['--no-flush-bytecode'])
  try {
    const settled = async (label: string): Promise<ProcessMemory> => {
      await pause(settleMs)
      if (snapshots) o.log(`soak: heap snapshot ${await server.heapSnapshot(join(snapshots, `soak-${plan.store}-${label}-${Date.now()}.heapsnapshot`))}`)
      return server.memory(true)
    }
    // Warm-up: every code path compiled and every pool allocated once before the first reading.
    await runRound(server, 0, plan.size, roundCapMs)
    const before = await settled('before')
    o.log(`soak (${plan.store}): before: heap ${mib(before.heapUsed).toFixed(1)} MiB, RSS ${mib(before.rss).toFixed(1)} MiB`)
    const done: RoundCounts[] = []
    const heapByRound: number[] = []
    const started = now()
    for (let r = 1; r <= plan.rounds && now() - started < totalCapMs; r++) {
      done.push(await runRound(server, r, plan.size, roundCapMs))
      heapByRound.push((await server.memory(true)).heapUsed)
      const last = done.at(-1)!
      o.log(
        `soak (${plan.store}): round ${r}/${plan.rounds}: ${last.sockets} sockets, ${last.commits} commits, ${(last.ms / 1000).toFixed(1)} s, heap ${mib(heapByRound.at(-1)!).toFixed(1)} MiB`,
      )
    }
    const after = await settled('after')
    o.log(`soak (${plan.store}): after: heap ${mib(after.heapUsed).toFixed(1)} MiB, RSS ${mib(after.rss).toFixed(1)} MiB`)
    if (!after.gc) throw new Error('bench: the soak server could not run a full GC (no --expose-gc)')

    const total = (k: keyof RoundCounts) => done.reduce((s, c) => s + c[k], 0)
    const growth = after.heapUsed / before.heapUsed - 1
    const on = plan.store === 'sqlite' ? '' : `, ${plan.store}`
    const note =
      `store ${plan.store}; ${done.length} rounds after a warm-up round, ${((now() - started) / 1000).toFixed(0)} s: ${total('sockets')} WebSocket connections opened and dropped ` +
      `(${plan.size.sockets} at a time: raw protocol clients on session tokens and on the secret key, Tandem() clients on WebSocket and on HTTP long-poll; ` +
      `half closed, half cut), ${total('commits')} commits, ${total('claimsHeld')} claims held and ${total('claimsQueued')} queued (WebSocket and HTTP), ` +
      `${total('httpParked')} HTTP long-polls, waiting claims and waiting reads abandoned; readings ${settleMs / 1000} s after the last drop, after a full GC, ` +
      `in the server's own process. Heap after each round (before settling): ${heapByRound.map((h) => mib(h).toFixed(1)).join(', ')} MiB. ` +
      `Growth ${(growth * 100).toFixed(1)}%; V8 heap reserved after: ${mib(after.heapTotal).toFixed(0)} MiB, external ${mib(after.external).toFixed(1)} MiB.`
    return [
      {
        scenario: 'soak',
        metric: `${metrics.heap}${on}`,
        unit: 'MiB',
        better: 'lower',
        tandem: mib(after.heapUsed),
        baseline: mib(before.heapUsed),
        note,
        target: { goal: 'heap after within 10% of heap before', met: growth <= 0.1 },
      },
      { scenario: 'soak', metric: `${metrics.rss}${on}`, unit: 'MiB', better: 'lower', tandem: mib(after.rss), baseline: mib(before.rss) },
    ]
  } finally {
    await server.close()
  }
}

export const soak: Scenario = {
  name: 'soak',
  title: 'memory under churn: rounds of connect/claim/long-poll/commit/drop; heap and RSS after a full GC, before and after',
  async run(o) {
    const sqlite: Plan = o.quick
      ? { store: 'sqlite', rounds: 4, size: { sockets: 200, commits: 2500, heldRows: 10 } }
      : { store: 'sqlite', rounds: 20, size: { sockets: 500, commits: 2500, heldRows: 20 } }
    const results = await soakOn(o, { kind: 'tandem', dbPath: join(o.tmpDir, 'soak.db') }, sqlite)
    const pg: Plan = { store: 'postgres', rounds: o.quick ? 2 : 6, size: { sockets: 200, commits: 2500, heldRows: 10 } }
    const db = await createBenchDatabase()
    if ('unavailable' in db) {
      o.log(`soak: postgres skipped (no Postgres: ${db.unavailable})`)
      const skipped = { unit: 'MiB', better: 'lower' as const, tandem: Number.NaN, baseline: null, skipped: 'skipped (no Postgres)' }
      return [
        ...results,
        { scenario: 'soak', metric: `${metrics.heap}, postgres`, ...skipped },
        { scenario: 'soak', metric: `${metrics.rss}, postgres`, ...skipped },
      ]
    }
    try {
      results.push(...(await soakOn(o, { kind: 'tandem', store: 'postgres', databaseUrl: db.url }, pg)))
    } finally {
      await db.drop()
    }
    return results
  },
}
