/**
 * @module Client failover: `Tandem({ baseURL: [node1, node2, node3] })`
 * connected to a node that is SIGKILLed reconnects to another, catches up
 * from its cursor, and its writes queued meanwhile land exactly once.
 */
import Tandem from '@tandem/core'
import { until, untilStatus } from '@tandem/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from './cluster.ts'
import { schema } from './fixtures/tasks-schema.ts'
import { postgresAvailable } from './postgres-db.ts'

const withPostgres = await postgresAvailable()

describe.skipIf(!withPostgres)('client failover across cluster nodes', () => {
  let cluster: Cluster | undefined
  const clients: Array<{ dispose(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()))
    await cluster?.stop()
  })
  const client = (baseURL: string | string[], transport: 'websocket' | 'http' = 'websocket') => {
    const c = Tandem({ schema, baseURL, apiKey: cluster!.key, transport })
    clients.push(c)
    return c
  }

  it.each(['websocket', 'http'] as const)(
    '%s: a client whose node dies moves to the next, catches up, and its queued writes land once',
    { timeout: 60_000 },
    async (transport) => {
      cluster = await startCluster(3)
      const [first, second, third] = cluster.urls as [string, string, string]
      const mover = client([first, second, third], transport)
      const watcher = client(third)
      await Promise.all([mover.ready(), watcher.ready()])
      const before = await mover.tasks.create({ data: { title: 'before the kill' } })
      await until(watcher, (t) => t.tasks.get(before.id))

      await cluster.nodes[0]!.kill()
      await untilStatus(mover, 'backoff', 20_000)
      // Queued while no node is connected; each carries its idempotency key into the replay on the next node.
      const queued = Array.from({ length: 5 }, (_, i) => mover.tasks.create({ data: { title: `queued ${i}` } }))
      // Meanwhile someone else writes on another node: the mover must catch up on it from its cursor.
      const elsewhere = await watcher.tasks.create({ data: { title: 'written elsewhere' } })

      const landed = await Promise.all(queued)
      expect(mover.status.get()).toBe('connected')
      await until(mover, (t) => t.tasks.get(elsewhere.id))
      for (const row of landed) await until(watcher, (t) => t.tasks.get(row.id))

      // On the server: every write exactly once, gapless log.
      const res = await fetch(`${second}/v1/models/tasks?limit=100`, { headers: { authorization: `Bearer ${cluster.key}` } })
      const rows = ((await res.json()) as { data: Array<{ title: string; syncId: number }> }).data
      expect(rows.map((r) => r.title).sort()).toEqual(['before the kill', 'queued 0', 'queued 1', 'queued 2', 'queued 3', 'queued 4', 'written elsewhere'])
      expect(rows.map((r) => r.syncId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7])
      await until(mover, (t) => t.tasks.getCount() === 7)
      expect(mover.snapshot()).toEqual(watcher.snapshot())
    },
  )
})
