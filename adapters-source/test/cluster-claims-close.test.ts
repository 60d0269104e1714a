/** A node that closes (not killed) takes its waiters out of the shared claim lines at once, logged, so the next one moves up. */
import { createServer, type TandemServer } from '@tandem/core/server'
import { defineSchema, model, z } from '@tandem/core/schema'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const schema = defineSchema({ tasks: model({ title: z.string() }) })
const key = 'sk_test_cluster_claims_close'

describe.skipIf(!withPostgres)('closing one of two Postgres nodes', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })

  it('drops its waiters from the lines (no waiting for its heartbeat to age) and logs them canceled', async () => {
    // A heartbeat bound far longer than the test: only the close itself can take the waiter out.
    const node = () =>
      createServer({ schema, store: postgresStore({ url: database().url, max: 4 }), port: 0, secretKeys: [key], claims: { nodeTimeoutMs: 600_000 } })
    const a = await node()
    const b: TandemServer = await node()
    const call = async (server: TandemServer, method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: (await res.json()) as any }
    }
    const line = async () => (await call(a, 'GET', '/v1/claims?model=tasks&id=t1')).body.claims as Array<{ id: string; status: string }>
    const lineOf = async (n: number) => {
      for (;;) {
        const l = await line()
        if (l.length === n) return l
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    try {
      await call(a, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 't1', data: { title: 'x' } }] })
      const held = await call(a, 'POST', '/v1/claims', { model: 'tasks', id: 't1', ttl: 60_000 })
      const leaving = call(b, 'POST', '/v1/claims', { model: 'tasks', id: 't1', wait: true, ttl: 60_000, timeoutMs: 60_000 }).catch((e: unknown) => e)
      await lineOf(2)
      const staying = call(a, 'POST', '/v1/claims', { model: 'tasks', id: 't1', wait: true, ttl: 60_000, timeoutMs: 60_000 })
      const [, gone, next] = await lineOf(3)

      await b.close()
      expect(await leaving).not.toMatchObject({ status: 200 })
      expect((await line()).map((e) => e.id)).toEqual([held.body.id, next!.id])
      const log = (await call(a, 'GET', '/v1/changes?after=0')).body.data as Array<{ claim?: { event: string; state: { id: string } } }>
      expect(log.filter((e) => e.claim?.state.id === gone!.id).map((e) => e.claim!.event)).toEqual(['queued', 'canceled'])

      await call(a, 'DELETE', `/v1/claims/${held.body.id}`)
      expect((await staying).body).toMatchObject({ id: next!.id, status: 'active' })
    } finally {
      await b.close()
      await a.close()
    }
  })
})
