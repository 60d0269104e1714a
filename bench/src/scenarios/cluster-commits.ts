/**
 * @module Several Tandem nodes on one Postgres: commits/s with 1, 2 and 3
 * nodes (each a server in its own worker thread on the same database, 10
 * one-at-a-time writers per node), beside batched raw inserts measured in the
 * same run on the same database; then propagation from a writer on node 1 to
 * a reader on node 1 (same node) and on node 2 (across nodes: the row reaches
 * node 2 through the log, woken by NOTIFY), sampled alternately. All of it
 * shares the machine's cores with Postgres and the clients, so read the
 * scale-out rows as "what one Postgres lets N nodes do here", not as a cluster
 * of machines.
 */
import { openRawPostgres, type RawPostgres } from '../baselines/postgres-raw.ts'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { createBenchDatabase } from '../lib/postgres.ts'
import { percentile } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { writeSeen } from '../lib/write-seen.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'
import { runWriters } from './commits.ts'

const nodeCounts = [1, 2, 3] as const
const writersPerNode = 10
const metric = (nodes: number) => `commits/s, ${nodes} node${nodes > 1 ? 's' : ''} × ${writersPerNode} writers`
const propagationMetrics = ['propagation across nodes, p50', 'propagation across nodes, p99'] as const
const rate = (x: { done: number; ms: number }) => (x.done / x.ms) * 1000

async function commitsPerNodeCount(o: { quick: boolean; log(m: string): void }, nodes: ServerHandle[], raw: RawPostgres): Promise<Result[]> {
  const results: Result[] = []
  const budgetPerNode = o.quick ? 1500 : 8000
  const capMs = o.quick ? 4000 : 20_000
  for (const n of nodeCounts) {
    const clients = (await Promise.all(nodes.slice(0, n).map((node) => openClients(node, writersPerNode)))).flat()
    try {
      await runWriters(clients, 100, 5000, []) // warm-up: prepared statements on every node
      const batched = await raw.insert(budgetPerNode * n, 1, writersPerNode, capMs)
      const latencies: number[] = []
      const tandem = await runWriters(clients, budgetPerNode * n, capMs, latencies)
      o.log(`cluster-commits: ${n} node(s): ${tandem.done} commits in ${tandem.ms.toFixed(0)} ms; raw batched ${batched.done} in ${batched.ms.toFixed(0)} ms`)
      results.push({
        scenario: 'cluster-commits',
        metric: metric(n),
        unit: '/s',
        better: 'higher',
        tandem: rate(tandem),
        baseline: rate(batched),
        note:
          `${tandem.done} commits from ${clients.length} clients spread over ${n} node(s) on one database (create() awaited; latency p50 ` +
          `${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms); baseline ${batched.done} raw inserts from one connection, ` +
          `${writersPerNode} per transaction, measured just before`,
      })
    } finally {
      await closeClients(clients)
    }
  }
  return results
}

async function propagationAcross(o: { quick: boolean; log(m: string): void }, nodes: ServerHandle[]): Promise<Result[]> {
  const [a, same] = (await openClients(nodes[0]!, 2)) as [BenchClient, BenchClient]
  const [other] = (await openClients(nodes[1]!, 1)) as [BenchClient]
  const count = o.quick ? 200 : 1000
  const sameNode: number[] = []
  const crossNode: number[] = []
  try {
    for (let i = 0; i < count + 20; i++) {
      const near = await writeSeen(a, same, `near-${i}`, i)
      const far = await writeSeen(a, other, `far-${i}`, i)
      if (i < 20) continue // warm-up
      sameNode.push(near.seen)
      crossNode.push(far.seen)
    }
  } finally {
    await closeClients([a, same, other])
  }
  o.log(`cluster-commits: ${crossNode.length} propagation samples each way`)
  const note = `${crossNode.length} sequential writes on node 1, alternately watched by a client on node 2 (Tandem column) and on node 1 (baseline column)`
  return [
    {
      scenario: 'cluster-commits',
      metric: propagationMetrics[0],
      unit: 'ms',
      better: 'lower',
      tandem: percentile(crossNode, 50),
      baseline: percentile(sameNode, 50),
      note,
    },
    {
      scenario: 'cluster-commits',
      metric: propagationMetrics[1],
      unit: 'ms',
      better: 'lower',
      tandem: percentile(crossNode, 99),
      baseline: percentile(sameNode, 99),
    },
  ]
}

export const clusterCommits: Scenario = {
  name: 'cluster-commits',
  title: 'commits/s with 1, 2 and 3 nodes on one Postgres vs batched raw inserts; propagation across nodes vs within one',
  async run(o) {
    const db = await createBenchDatabase()
    if ('unavailable' in db) {
      o.log(`cluster-commits: skipped (no Postgres: ${db.unavailable})`)
      return [...nodeCounts.map(metric), ...propagationMetrics].map((m) => ({
        scenario: 'cluster-commits',
        metric: m,
        unit: m.startsWith('commits') ? '/s' : 'ms',
        better: m.startsWith('commits') ? ('higher' as const) : ('lower' as const),
        tandem: Number.NaN,
        baseline: null,
        skipped: 'skipped (no Postgres)',
      }))
    }
    const nodes: ServerHandle[] = []
    let raw: RawPostgres | undefined
    try {
      // One after another: each migrates the same database at start.
      for (let i = 0; i < nodeCounts.at(-1)!; i++) nodes.push(await spawnServer({ kind: 'tandem', store: 'postgres', databaseUrl: db.url }))
      raw = await openRawPostgres(db.url, 1)
      return [...(await commitsPerNodeCount(o, nodes, raw)), ...(await propagationAcross(o, nodes))]
    } finally {
      await raw?.close()
      await Promise.all(nodes.map((n) => n.close()))
      await db.drop()
    }
  },
}
