/** @module The cluster helper itself: 3 `tandem serve` nodes on one database, one killed with -9 and restarted on its port. */
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from './cluster.ts'
import { postgresAvailable } from './postgres-db.ts'

const withPostgres = await postgresAvailable()

describe.skipIf(!withPostgres)('a cluster of tandem serve nodes', () => {
  let cluster: Cluster | undefined
  afterEach(async () => cluster?.stop())

  it('3 nodes share one log; a killed node comes back on its port and sees what the others wrote', { timeout: 60_000 }, async () => {
    cluster = await startCluster(3)
    const headers = { authorization: `Bearer ${cluster.key}`, 'content-type': 'application/json' }
    const create = async (url: string, title: string) => {
      const res = await fetch(`${url}/v1/commits`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', data: { title } }] }),
      })
      expect(res.status).toBe(200)
      return ((await res.json()) as { syncId: number }).syncId
    }
    const ids = []
    for (const url of cluster.urls) ids.push(await create(url, `via ${url}`))
    expect(ids).toEqual([1, 2, 3])
    const [, second] = cluster.nodes
    await second!.kill()
    await expect(fetch(`${second!.url}/healthz`)).rejects.toThrow()
    expect(await create(cluster.urls[0]!, 'while one is down')).toBe(4)
    await second!.restart()
    const health = (await (await fetch(`${second!.url}/healthz`)).json()) as { syncId: number }
    expect(health.syncId).toBe(4)
  })

  it('an Idempotency-Key holds across nodes: the same commit replayed on another node returns the first result', { timeout: 60_000 }, async () => {
    cluster = await startCluster(2)
    const [a, b] = cluster.urls as [string, string]
    const post = (url: string, title: string) =>
      fetch(`${url}/v1/commits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cluster!.key}`, 'content-type': 'application/json', 'idempotency-key': 'across-nodes' },
        body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', data: { title } }] }),
      })
    const first = await post(a, 'once')
    expect(first.status).toBe(200)
    const firstBody = (await first.json()) as { syncId: number; rows: Array<{ id: string }> }
    // A client that got no answer from a retries on b: it gets a's answer, and nothing is applied twice.
    const replay = await post(b, 'once')
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual(firstBody)
    const other = await post(b, 'something else')
    expect(other.status).toBe(409)
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused')
    const log = await fetch(`${b}/v1/changes?after=0`, { headers: { authorization: `Bearer ${cluster.key}` } })
    expect(((await log.json()) as { data: Array<{ syncId: number }> }).data.map((e) => e.syncId)).toEqual([1])
  })
})
