import { describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { until, untilStatus } from '@tandem/core/testing'
import { startChaosProxy } from './chaos-proxy.ts'
import { defer, setup } from './helpers.ts'
import { schema } from './fixtures.ts'

describe('transports', () => {
  it('an HTTP long-poll client and a WebSocket client see each other’s writes', async () => {
    const { server } = await setup()
    const poll = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport: 'http' })
    const ws = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    defer(() => poll.dispose())
    defer(() => ws.dispose())
    await Promise.all([poll.ready(), ws.ready()])
    const a = await poll.tasks.create({ data: { title: 'from long-poll' } })
    await until(ws, (t) => t.tasks.get(a.id))
    const b = await ws.tasks.create({ data: { title: 'from websocket' } })
    await until(poll, (t) => t.tasks.get(b.id))
    await ws.tasks.update({ id: a.id, data: { status: 'done' } })
    await until(poll, (t) => t.tasks.get(a.id)?.status === 'done')
    expect(await poll.tasks.retrieve({ id: b.id })).toMatchObject({ title: 'from websocket' })
    expect((await poll.tasks.list({ where: { status: 'done' } })).map((r) => r.id)).toEqual([a.id])
  })

  it('claims work over long-poll and exclude WebSocket holders', async () => {
    const { server } = await setup()
    const poll = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport: 'http', participant: { kind: 'agent', name: 'poller' } })
    const ws = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    defer(() => poll.dispose())
    defer(() => ws.dispose())
    await Promise.all([poll.ready(), ws.ready()])
    await ws.tasks.create({ id: 'pc', data: { title: 'x' } })
    await until(poll, (t) => t.tasks.get('pc'))
    const claim = await poll.tasks.claim({ id: 'pc', action: 'polling' })
    await until(ws, (t) => t.tasks.claim.state({ id: 'pc' })?.heldBy.name === 'poller')
    await expect(ws.tasks.update({ id: 'pc', data: { title: 'no' } })).rejects.toMatchObject({ code: 'entity_claimed' })
    await poll.tasks.update({ id: 'pc', data: { title: 'yes' } })
    await claim.release()
    await until(poll, (t) => t.tasks.claim.state({ id: 'pc' }) === null && t.tasks.get('pc')?.title === 'yes')
  })

  for (const transport of ['websocket', 'http'] as const) {
    it(`chaos (${transport}): 1,000 writes from 3 clients through a proxy that drops connections: each lands exactly once, all converge`, async () => {
      const { server, http } = await setup()
      const proxy = await startChaosProxy(server.port, transport === 'http' ? 0.03 : 0.1, 20261125)
      defer(() => proxy.close())
      const clients = [0, 1, 2].map(() => {
        const c = Tandem({ schema, baseURL: proxy.url, apiKey: server.secretKey, transport, heartbeatMs: 2000 })
        defer(() => c.dispose())
        return c
      })
      await Promise.all(clients.map((c) => c.ready()))
      const total = 1000
      const results = await Promise.all(
        clients.map(async (c, ci) => {
          const mine: Promise<unknown>[] = []
          for (let i = ci; i < total; i += 3) {
            mine.push(c.tasks.create({ id: `w${i}`, data: { title: `write ${i}`, points: i } }))
            if (mine.length % 25 === 0) await Promise.all(mine.slice(-25))
          }
          return Promise.all(mine)
        }),
      )
      expect(results.flat()).toHaveLength(total)
      proxy.calm()
      expect(proxy.drops).toBeGreaterThan(0)

      const ids: string[] = []
      for (let after = 0; ;) {
        const page = await http('GET', `/v1/changes?after=${after}&limit=1000`)
        for (const e of page.body.data) for (const ch of e.changes) ids.push(ch.id)
        after = page.body.cursor
        if (!page.body.hasMore) break
      }
      expect(ids).toHaveLength(total)
      expect(new Set(ids).size).toBe(total)
      for (const c of clients) await until(c, (t) => t.cursor() === total && t.pendingCount() === 0, 30_000)
      const fresh = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
      defer(() => fresh.dispose())
      await fresh.ready()
      for (const c of clients) expect(c.snapshot()).toEqual(fresh.snapshot())
    }, 120_000)
  }

  it('a half-open connection (nothing arrives, nothing closes) is detected and replaced; the queued write lands', async () => {
    const { server, http } = await setup()
    const proxy = await startChaosProxy(server.port, 0, 1)
    defer(() => proxy.close())
    const c = Tandem({ schema, baseURL: proxy.url, apiKey: server.secretKey, heartbeatMs: 200 })
    defer(() => c.dispose())
    await c.ready()
    proxy.freeze()
    const write = c.tasks.create({ id: 'through-the-silence', data: { title: 'x' } })
    // Within 2.5 heartbeats the client gives up on the silent socket and backs off.
    await untilStatus(c, 'backoff', 5000)
    proxy.thaw()
    await untilStatus(c, 'connected', 10_000)
    expect((await write).id).toBe('through-the-silence')
    expect((await http('GET', '/v1/models/tasks/through-the-silence')).status).toBe(200)
  })

  it('the server drops a socket that stops answering pings', async () => {
    const { server } = await setup({ limits: { pingIntervalMs: 100 } })
    const proxy = await startChaosProxy(server.port, 0, 2)
    defer(() => proxy.close())
    const c = Tandem({ schema, baseURL: proxy.url, apiKey: server.secretKey, heartbeatMs: 60_000 })
    defer(() => c.dispose())
    await c.ready()
    expect(server.connections).toBe(1)
    const closed = proxy.serverClosed()
    proxy.freeze()
    // Only the server can have closed it: the client is silent behind the frozen proxy (its own heartbeat is a minute).
    await closed
    await untilStatus(c, 'backoff', 5000)
  })
})
