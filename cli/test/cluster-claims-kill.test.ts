/**
 * kill -9 of one of 3 server processes on one Postgres: its claim is granted onward after the lease to a waiter on
 * another node, its own waiter leaves the line (not blocking the one behind it), and webhook delivery of an endpoint
 * it was delivering resumes on another node with no gap and no reordering.
 */
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import type { WebhookEvent } from '@tandem/webhooks'
import { verify } from '@tandem/webhooks/signing'
import { describe, expect, it } from 'vitest'
import { type Node, startNodes } from './cluster-nodes.ts'
import { postgresReachable } from './postgres-db.ts'

const withPostgres = await postgresReachable()

const caller = (key: string) => async (node: Node, method: string, path: string, body?: unknown) => {
  const res = await fetch(node.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as any }
}

/** Poll `read` until `ok` holds (state that settles across nodes), failing after `timeoutMs`. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

interface ClaimEntry {
  syncId: number
  claim?: { event: string; state: { id: string } }
}

describe.skipIf(!withPostgres)('kill -9 of a node, 3 nodes on one Postgres', () => {
  it('its held claim goes onward after the lease to a waiter on another node; its own waiter leaves the line', async () => {
    await using cluster = await startNodes(3, { NODE_TIMEOUT_MS: '1000', LEASE_MS: '1500' })
    const [a, b, c] = cluster.nodes as [Node, Node, Node]
    const call = caller(cluster.key)
    expect((await call(a, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 't1', data: { title: 'x' } }] })).status).toBe(200)
    const line = (node: Node) => call(node, 'GET', '/v1/claims?model=tasks&id=t1').then((r) => r.body.claims as Array<{ id: string; status: string }>)

    const held = await call(a, 'POST', '/v1/claims', { model: 'tasks', id: 't1', ttl: 3000 })
    expect(held.body.status).toBe('active')
    // A waiter on the node that will die, then one on another node behind it.
    const doomed = call(a, 'POST', '/v1/claims', { model: 'tasks', id: 't1', wait: true, ttl: 30_000, timeoutMs: 60_000 }).catch((e: unknown) => e)
    await until(
      () => line(b),
      (l) => l.length === 2,
    )
    const behind = call(b, 'POST', '/v1/claims', { model: 'tasks', id: 't1', wait: true, ttl: 30_000, timeoutMs: 60_000 })
    const [, doomedEntry, behindEntry] = await until(
      () => line(c),
      (l) => l.length === 3,
    )

    await a.kill()
    expect(await doomed).toBeInstanceOf(Error) // its connection died with the node
    const granted = await behind
    expect(granted.status).toBe(200)
    expect(granted.body).toMatchObject({ id: behindEntry!.id, status: 'active' })
    expect((await line(c)).map((e) => [e.id, e.status])).toEqual([[behindEntry!.id, 'active']])

    // The old token no longer writes; the new holder's does, on any node.
    const write = (token: string) =>
      call(c, 'POST', '/v1/commits', { operations: [{ op: 'update', model: 'tasks', id: 't1', data: { title: 'y' } }], claimToken: token })
    expect((await write(held.body.token)).body.error).toMatchObject({ code: 'claim_lost' })
    expect((await write(granted.body.token)).status).toBe(200)

    // The log tells the same story, one holder at a time: the dead node's waiter canceled, the lease expired, then the grant.
    const log = await until(
      () => call(c, 'GET', '/v1/changes?after=0&limit=500').then((r) => r.body.data as ClaimEntry[]),
      (entries) => entries.some((e) => e.claim?.event === 'granted' && e.claim.state.id === behindEntry!.id),
    )
    const story = log.filter((e) => e.claim).map((e) => `${e.claim!.event}:${[held.body.id, doomedEntry!.id, behindEntry!.id].indexOf(e.claim!.state.id)}`)
    expect(story).toEqual(['granted:0', 'queued:1', 'queued:2', 'canceled:1', 'expired:0', 'granted:2'])
  })

  it('webhook delivery resumes on another node: every syncId once in order, a repeat only under the same webhook-id', async () => {
    await using cluster = await startNodes(3, { NODE_TIMEOUT_MS: '1000', LEASE_MS: '1500' })
    const call = caller(cluster.key)
    const nodes = cluster.nodes
    let secret = ''
    const byMessage = new Map<string, number[]>()
    const delivered = new Set<number>()
    const problems: string[] = []
    let highest = 0
    const receiver = createHttpServer((req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => (body += d.toString()))
      req.on('end', () => {
        verify(secret, req.headers as Record<string, string>, body)
        const id = String(req.headers['webhook-id'])
        const syncIds = (JSON.parse(body) as { data: WebhookEvent[] }).data.map((e) => e.syncId)
        const before = byMessage.get(id)
        if (before) {
          if (before.join() !== syncIds.join()) problems.push(`${id} came again with other entries: ${before} then ${syncIds}`)
        } else {
          if (syncIds.some((s, i) => s <= (i === 0 ? highest : syncIds[i - 1]!))) problems.push(`${id} out of order: ${syncIds} after ${highest}`)
          byMessage.set(id, syncIds)
          highest = Math.max(highest, ...syncIds)
        }
        for (const s of syncIds) delivered.add(s)
        // Answer a little later, so the kill is likely to land while a POST is under way.
        setTimeout(() => res.writeHead(204).end(), 10)
      })
    }).listen(0, '127.0.0.1')
    await once(receiver, 'listening')
    try {
      const endpoint = await call(nodes[0]!, 'POST', '/v1/webhook_endpoints', { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/` })
      secret = endpoint.body.secret
      let n = 0
      const commit = (node: Node) => call(node, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: `t${n++}`, data: { title: 'x' } }] })
      for (let i = 0; i < 60; i++) expect((await commit(nodes[i % 3]!)).status).toBe(200)
      await until(
        async () => delivered.size,
        (size) => size >= 20,
      )
      const delivering = nodes.filter((node) => node.output().includes('webhook attempt'))
      expect(delivering).toHaveLength(1)
      const survivors = nodes.filter((node) => node !== delivering[0])

      // Kill it while commits keep coming on the others.
      const load = (async () => {
        for (let i = 0; i < 60; i++) expect((await commit(survivors[i % 2]!)).status).toBe(200)
      })()
      await delivering[0]!.kill()
      await load

      const log = (await call(survivors[0]!, 'GET', '/v1/changes?after=0&limit=500')).body.data as Array<{ syncId: number }>
      expect(log).toHaveLength(120)
      await until(
        async () => delivered.size,
        (size) => size >= log.length,
      )
      expect([...delivered].sort((x, y) => x - y)).toEqual(log.map((e) => e.syncId))
      expect(problems).toEqual([])
      expect(survivors.some((node) => node.output().includes('webhook attempt'))).toBe(true)
    } finally {
      receiver.close()
    }
  })
})
