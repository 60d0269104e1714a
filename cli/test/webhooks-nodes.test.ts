/** Two server nodes on one Postgres with the webhooks plugin: one endpoint is delivered by one node at a time, in log order. */
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { defineSchema, model, z } from '@tandem/core/schema'
import { createServer, type TandemServer } from '@tandem/core/server'
import { postgresStore } from '@tandem/sources'
import { webhooks, type WebhookEvent } from '@tandem/webhooks'
import { verify } from '@tandem/webhooks/signing'
import { describe, expect, it } from 'vitest'
import { postgresReachable, throwawayDatabase } from './postgres-db.ts'

const schema = defineSchema({ notes: model({ text: z.string() }) })
const key = 'sk_test_webhook_nodes'

describe.skipIf(!(await postgresReachable()))('webhooks on two Postgres nodes', () => {
  const { url } = throwawayDatabase()

  it('exactly one node delivers the endpoint at a time; after that node closes, the other carries on from the cursor', async () => {
    const node = () =>
      createServer({
        schema,
        store: postgresStore({ url: url.toString(), max: 4 }),
        port: 0,
        secretKeys: [key],
        plugins: [webhooks({ allowPrivateUrls: true, refreshMs: 100, timeoutMs: 2000, leaseMs: 3000 })],
      })
    const servers: TandemServer[] = [await node(), await node()]
    const events: WebhookEvent[] = []
    let inFlight = 0
    let maxInFlight = 0
    let secret = ''
    let check = () => {}
    const receiver = createHttpServer((req, res) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        verify(secret, req.headers as Record<string, string>, body)
        // Answer a little later, so that a second node delivering at the same time would overlap with this request.
        setTimeout(() => {
          events.push(...(JSON.parse(body) as { data: WebhookEvent[] }).data)
          inFlight--
          res.writeHead(204).end()
          check()
        }, 5)
      })
    }).listen(0, '127.0.0.1')
    await once(receiver, 'listening')
    const until = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${n} events arrived`)), 30_000)
        check = () => events.length >= n && (clearTimeout(timer), resolve())
        check()
      })
    const call = async (server: TandemServer, method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return (await res.json()) as any
    }
    try {
      const endpoint = await call(servers[0]!, 'POST', '/v1/webhook_endpoints', { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/` })
      secret = endpoint.secret
      for (let i = 0; i < 100; i++)
        await call(servers[i % 2]!, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } }] })
      await until(100)

      // Close the first node: if it holds the lease it gives it back, and the other one takes over at once.
      await servers[0]!.close()
      for (let i = 100; i < 150; i++)
        await call(servers[1]!, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } }] })
      await until(150)
      const log = (await call(servers[1]!, 'GET', '/v1/changes?after=0&limit=1000')).data as Array<{ syncId: number }>
      expect(events.map((e) => e.syncId)).toEqual(log.map((e) => e.syncId))
      expect(maxInFlight).toBe(1)
    } finally {
      for (const s of servers) await s.close()
      receiver.close()
    }
  })
})
