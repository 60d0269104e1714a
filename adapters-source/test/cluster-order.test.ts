/**
 * @module Must-show: 3 `tandem serve` nodes, clients spread over them;
 * 10,000 commits spread over the nodes get exactly syncIds 1..10000, and
 * every client receives them in that same order and ends with the same rows.
 */
import Tandem from '@tandem/core'
import { until } from '@tandem/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from './cluster.ts'
import { readAll, recordingSocket, spreadCommits } from './cluster-load.ts'
import { schema } from './fixtures/tasks-schema.ts'
import { postgresAvailable } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const total = 10_000

describe.skipIf(!withPostgres)('3 nodes, one log', () => {
  let cluster: Cluster | undefined
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const fn of cleanups.splice(0)) await fn()
    await cluster?.stop()
  })

  it(`${total.toLocaleString('en')} commits over 3 nodes: syncIds 1..${total}, every client in the same order`, { timeout: 120_000 }, async () => {
    cluster = await startCluster(3)
    const urls = cluster.urls
    // Batches of 50 commits (each its own commit, syncId and Idempotency-Key) keep it fast on a busy machine.
    // Two raw sockets per node record each syncId as it arrives; one typed client per node keeps the rows.
    const sockets = urls.flatMap((url) => [recordingSocket(url), recordingSocket(url)])
    cleanups.push(() => sockets.forEach((s) => s.close()))
    await Promise.all(sockets.map((s) => s.ready))
    const clients = urls.map((baseURL) => Tandem({ schema, baseURL, apiKey: cluster!.key }))
    cleanups.push(() => Promise.all(clients.map((c) => c.dispose())))
    await Promise.all(clients.map((c) => c.ready()))

    const acked = await spreadCommits(() => urls, total, { writers: 6, batchSize: 50 })
    expect([...acked.values()].map((a) => a.syncId).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1))

    const inOrder = Array.from({ length: total }, (_, i) => i + 1)
    await Promise.all(sockets.map((s) => s.reached(total)))
    for (const s of sockets) expect(s.seen).toEqual(inOrder)

    const log = await readAll<{ syncId: number }>(urls[1]!, '/v1/changes', (body) => ({
      items: body.data,
      next: body.hasMore ? `?after=${body.cursor}&limit=1000` : null,
    }))
    expect(log.map((e) => e.syncId)).toEqual(inOrder)

    await Promise.all(clients.map((c) => until(c, (t) => t.cursor() >= total, 60_000)))
    const [first, ...others] = clients.map((c) => c.snapshot())
    expect((first as { tasks: unknown[] }).tasks).toHaveLength(total)
    for (const other of others) expect(other).toEqual(first)
  })
})
