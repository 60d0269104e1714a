/**
 * @module Must-show: kill -9 of one of 3 nodes during load. HTTP writers
 * retry what got no answer on the next node with the same Idempotency-Keys;
 * a client on the killed node (baseURL list) fails over with writes in
 * flight. Afterwards: every acknowledged commit is there once with the
 * syncId it was acknowledged with, nothing is doubled, the log is gapless,
 * and the failed-over client converges with the others; the killed node,
 * restarted, serves the same rows.
 */
import Tandem from '@tandem/core'
import { until } from '@tandem/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from './cluster.ts'
import { type Acked, readAll, spreadCommits, title } from './cluster-load.ts'
import { schema } from './fixtures/tasks-schema.ts'
import { postgresAvailable } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const total = 4000
const killAfter = 1500

describe.skipIf(!withPostgres)('kill -9 of one node during load', () => {
  let cluster: Cluster | undefined
  const clients: Array<{ dispose(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()))
    await cluster?.stop()
  })

  it('no acknowledged commit lost or doubled; the dead node’s client fails over and converges', { timeout: 120_000 }, async () => {
    cluster = await startCluster(3)
    const [first, second, third] = cluster.urls as [string, string, string]
    const mover = Tandem({ schema, baseURL: [first, second, third], apiKey: cluster.key })
    const watcher = Tandem({ schema, baseURL: third, apiKey: cluster.key })
    clients.push(mover, watcher)
    await Promise.all([mover.ready(), watcher.ready()])

    let killing: Promise<void> | undefined
    let loadDone = false
    const moverStatuses: string[] = []
    mover.status.listen((s) => moverStatuses.push(s))
    // The mover writes through its WebSocket all along, one write after another, across the kill and past the load.
    const moved = (async () => {
      const rows = []
      for (let i = 0; !loadDone || rows.length < 10; i++) rows.push(await mover.tasks.create({ data: { title: `mover ${i}` } }))
      return rows
    })()
    const acked = await spreadCommits(() => cluster!.urls, total, {
      writers: 6,
      batchSize: 20,
      onAck: (_, a) => {
        if (a.syncId >= killAfter) killing ??= cluster!.nodes[0]!.kill()
      },
    })
    loadDone = true
    await killing
    expect(killing).toBeDefined()
    const moverRows = await moved
    const moverWrites = moverRows.length
    // It lost its node and came back connected (to another one).
    expect(moverStatuses).toContain('backoff')
    expect(mover.status.get()).toBe('connected')

    // Every commit once, with the syncId it was acknowledged with.
    const rows = await readAll<{ id: string; title: string; points?: number; syncId: number }>(second, '/v1/models/tasks', (body) => ({
      items: body.data,
      next: body.hasMore ? `?limit=1000&cursor=${encodeURIComponent(body.nextCursor)}` : null,
    }))
    expect(rows).toHaveLength(total + moverWrites)
    expect(new Set(rows.map((r) => r.title)).size).toBe(total + moverWrites)
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const [i, a] of acked as Map<number, Acked>) expect(byId.get(a.id), `commit ${i}`).toMatchObject({ title: title(i), points: i, syncId: a.syncId })
    for (const row of moverRows) expect(byId.get(row.id)).toMatchObject({ title: row.title, syncId: row.syncId })

    // The log: gapless, one create per row.
    const log = await readAll<{ syncId: number; changes: Array<{ op: string; id: string }> }>(third, '/v1/changes', (body) => ({
      items: body.data,
      next: body.hasMore ? `?after=${body.cursor}&limit=1000` : null,
    }))
    const head = total + moverWrites
    expect(log.map((e) => e.syncId)).toEqual(Array.from({ length: head }, (_, i) => i + 1))
    expect(log.flatMap((e) => e.changes.map((c) => `${c.op}:${c.id}`)).sort()).toEqual(rows.map((r) => `create:${r.id}`).sort())

    // The failed-over client and a client that never moved hold the same rows.
    await Promise.all([mover, watcher].map((c) => until(c, (t) => t.cursor() >= head, 60_000)))
    expect(mover.snapshot()).toEqual(watcher.snapshot())

    // The killed node comes back on its port and serves the same rows.
    await cluster.nodes[0]!.restart()
    const returner = Tandem({ schema, baseURL: first, apiKey: cluster.key })
    clients.push(returner)
    await returner.ready()
    expect(returner.snapshot()).toEqual(watcher.snapshot())
  })
})
