/**
 * @module The plugin contract over a real server: plugin routes behind the API's
 * auth, rate limit, body limit and CORS; onCommit in log order; retainLog holding
 * compaction back; setup and close order, and a setup that throws.
 */
import { defineRoute } from '@tandem/core/protocol'
import { createServer, memoryStore, requireSecretKey, type ServerPlugin } from '@tandem/core/server'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { parseJson, parseOrThrow } from '@tandem/core/server'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

/** A plugin with one route any caller may use and one for secret keys only. */
const echoPlugin = (): ServerPlugin => ({
  name: 'echo',
  setup({ routes }) {
    routes.get('/echo/whoami', (c) => c.json({ actor: c.get('session').actor.id, secret: c.get('session').secret }))
    routes.post('/echo/admin', requireSecretKey, async (c) => {
      const body = parseOrThrow(z.object({ note: z.string() }), parseJson(await c.req.text()), 'echo body')
      return c.json({ ok: true, note: body.note }, 201)
    })
  },
})

const create = (id: string) => ({ operations: [{ op: 'create', model: 'tasks', id, data: { title: id } }] })

/** Resolves with the next value `register` hands to its callback. */
function next<T>(register: (resolve: (value: T) => void) => void, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing within ${timeoutMs} ms`)), timeoutMs)
    register((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

describe('plugin routes', () => {
  it('refuse missing and wrong credentials (401), session tokens where a secret key is required (403), and accept the secret key', async () => {
    const w = await setup({ plugins: [echoPlugin()] })
    const token = (await w.http('POST', '/v1/sessions', { userId: 'u1', groups: ['org:default'] })).body.token as string

    const missing = await fetch(`${w.server.url}/v1/echo/whoami`)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toMatchObject({ error: { type: 'TandemAuthError', code: 'unauthenticated' } })
    const wrong = await w.http('GET', '/v1/echo/whoami', undefined, { authorization: 'Bearer sk_test_not_a_key' })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toMatchObject({ error: { type: 'TandemAuthError', code: 'unauthenticated' } })
    const wrongOnAdmin = await w.http('POST', '/v1/echo/admin', { note: 'x' }, { authorization: 'Bearer nope' })
    expect(wrongOnAdmin.status).toBe(401)

    const asUser = await w.http('GET', '/v1/echo/whoami', undefined, { authorization: `Bearer ${token}` })
    expect(asUser).toMatchObject({ status: 200, body: { actor: 'u1', secret: false } })
    const forbidden = await w.http('POST', '/v1/echo/admin', { note: 'x' }, { authorization: `Bearer ${token}` })
    expect(forbidden.status).toBe(403)
    expect(forbidden.body).toMatchObject({ error: { type: 'TandemAuthError', code: 'forbidden' } })

    expect(await w.http('POST', '/v1/echo/admin', { note: 'hello' })).toMatchObject({ status: 201, body: { ok: true, note: 'hello' } })
    expect((await w.http('GET', '/v1/echo/whoami')).body).toMatchObject({ secret: true })
    // The handler's zod parse answers in the same envelope as the core routes.
    expect(await w.http('POST', '/v1/echo/admin', { note: 1 })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', param: 'note' } } })
  })

  it('share the body limit, the rate limit and CORS with the built-in routes', async () => {
    const w = await setup({
      plugins: [echoPlugin()],
      limits: { maxBodyBytes: 1024, rateLimit: { sessionPerSecond: 1, sessionBurst: 2 } },
      allowedOrigins: ['https://app.example'],
    })
    const big = await w.http('POST', '/v1/echo/admin', { note: 'x'.repeat(2000) })
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } })

    const token = (await w.http('POST', '/v1/sessions', { userId: 'u2', groups: ['org:default'] })).body.token as string
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await w.http('GET', '/v1/echo/whoami', undefined, { authorization: `Bearer ${token}` })).status)
    expect(statuses).toContain(429)

    const pre = await fetch(`${w.server.url}/v1/echo/admin`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    })
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example')
  })

  it('ctx.handle serves a declared route with its input parsed and secret-only auth; an undeclared one fails setup', async () => {
    const route = defineRoute({
      method: 'post',
      path: '/v1/things/{id}',
      operationId: 'createThing',
      summary: 'A thing',
      tags: ['things'],
      auth: 'secret',
      params: z.object({ id: z.string().max(8) }),
      body: z.strictObject({ size: z.number().int() }),
      bodyLabel: 'thing',
      responses: { 200: { description: 'The thing', schema: z.object({ id: z.string(), size: z.number() }) } },
      errors: [400],
    })
    const plugin: ServerPlugin = {
      name: 'things',
      api: { routes: [route] },
      setup: (ctx) => ctx.handle(route, (c, { params, body }) => c.json({ id: params.id, size: body.size })),
    }
    const server = await createServer({ schema, store: memoryStore(), port: 0, plugins: [plugin] })
    defer(() => server.close())
    const post = (path: string, body: unknown, token = server.secretKey) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as any,
      }))
    expect(await post('/v1/things/t1', { size: 3 })).toEqual({ status: 200, body: { id: 't1', size: 3 } })
    const bad = await post('/v1/things/t1', { size: 'big' })
    expect([bad.status, bad.body.error.code, bad.body.error.param]).toEqual([400, 'invalid_request', 'size'])
    expect((await post('/v1/things/much-too-long', { size: 1 })).body.error.param).toBe('id')
    const token = (await post('/v1/sessions', { userId: 'u1', groups: ['org:a'] })).body.token as string
    expect((await post('/v1/things/t1', { size: 3 }, token)).body.error.code).toBe('forbidden')

    const undeclared: ServerPlugin = { name: 'sneaky', setup: (ctx) => ctx.handle(route, (c) => c.json({})) }
    await expect(createServer({ schema, store: memoryStore(), port: 0, plugins: [undeclared] })).rejects.toThrow(/without declaring it in api.routes/)
  })

  it('unknown paths under /v1 still answer 404 in the envelope', async () => {
    const w = await setup({ plugins: [echoPlugin()] })
    expect(await w.http('GET', '/v1/echo/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } })
  })
})

describe('onCommit', () => {
  it('sees every entry once, in log order; a listener that throws is logged and the others still run', async () => {
    const seen: number[] = []
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    defer(() => errors.mockRestore())
    const faulty: ServerPlugin = {
      name: 'faulty',
      setup: (ctx) =>
        void ctx.onCommit(() => {
          throw new Error('listener bug')
        }),
    }
    const recorder: ServerPlugin = { name: 'recorder', setup: (ctx) => void ctx.onCommit((entries) => void seen.push(...entries.map((e) => e.syncId))) }
    const w = await setup({ plugins: [faulty, recorder] })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => w.http('POST', '/v1/commits', create(`t${i}`))))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(errors).toHaveBeenCalledWith('[tandem:faulty] onCommit listener failed:', expect.any(Error))
  })

  it('readLog reads the log after a syncId, and an unsubscribed listener hears nothing more', async () => {
    let ctxReadLog: ((after: number, limit: number) => Promise<{ syncId: number }[]>) | undefined
    const heard: number[] = []
    let off: () => void = () => {}
    const plugin: ServerPlugin = {
      name: 'reader',
      setup(ctx) {
        ctxReadLog = ctx.readLog
        off = ctx.onCommit((entries) => void heard.push(...entries.map((e) => e.syncId)))
      },
    }
    const w = await setup({ plugins: [plugin] })
    for (let i = 0; i < 3; i++) await w.http('POST', '/v1/commits', create(`r${i}`))
    off()
    await w.http('POST', '/v1/commits', create('after-off'))
    expect(heard).toEqual([1, 2, 3])
    expect((await ctxReadLog!(2, 10)).map((e) => e.syncId)).toEqual([3, 4])
  })
})

describe('retainLog', () => {
  /** A memory store that records each compaction and can wait for one. */
  function watchedStore() {
    const store = memoryStore()
    const throughs: number[] = []
    const waiting = new Map<number, () => void>()
    const compact = store.compactLog.bind(store)
    store.compactLog = async (through) => {
      await compact(through)
      throughs.push(through)
      waiting.get(through)?.()
    }
    const compactedThrough = (through: number) => next<void>((resolve) => (throughs.includes(through) ? resolve() : waiting.set(through, resolve)))
    return Object.assign(store, { throughs, compactedThrough })
  }

  it('compaction keeps every entry at or after the lowest syncId a plugin retains', async () => {
    let retained: number | undefined = 4
    const store = watchedStore()
    const plugins: ServerPlugin[] = [
      { name: 'cursor', setup: () => undefined, retainLog: async () => retained },
      { name: 'none', setup: () => undefined, retainLog: () => undefined },
    ]
    const w = await setup({ store, plugins, logRetention: 2 })
    for (let i = 0; i < 12; i++) await w.http('POST', '/v1/commits', create(`c${i}`))
    await store.compactedThrough(3)
    expect(Math.max(...store.throughs)).toBe(3)
    expect(await store.logStart()).toBe(3)
    expect((await store.readLog(0, 1))[0]!.syncId).toBe(4)

    // The plugin moves on: the next compaction goes up to it, then (retaining nothing) to the retention.
    retained = 9
    await w.http('POST', '/v1/commits', create('c12'))
    await store.compactedThrough(8)
    retained = undefined
    await w.http('POST', '/v1/commits', create('c13'))
    await store.compactedThrough(12)
    expect((await store.readLog(0, 100)).map((e) => e.syncId)).toEqual([13, 14])
  })

  it('a retainLog that throws or answers nonsense compacts nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    defer(() => errors.mockRestore())
    for (const retainLog of [
      () => {
        throw new Error('cursor table unreadable')
      },
      () => Number.NaN,
    ]) {
      const store = memoryStore()
      const failed = next<unknown>((resolve) => errors.mockImplementationOnce((_message, error) => resolve(error)))
      const w = await setup({ store, plugins: [{ name: 'broken', setup: () => undefined, retainLog }], logRetention: 1 })
      for (let i = 0; i < 5; i++) await w.http('POST', '/v1/commits', create(`b${i}`))
      expect(await failed).toBeInstanceOf(Error)
      expect(await store.logStart()).toBe(0)
      await w.server.close()
    }
  })
})

describe('setup and close order', () => {
  it('sets up in array order before the server listens and closes in reverse, after HTTP stops and before the store closes', async () => {
    const events: string[] = []
    const store = memoryStore()
    const closeStore = store.close.bind(store)
    store.close = async () => {
      events.push('store closed')
      await closeStore()
    }
    let url = ''
    const plugin = (name: string): ServerPlugin => ({
      name,
      async setup(ctx) {
        events.push(`setup ${name} (head ${await ctx.store.headSyncId()})`)
      },
      async close() {
        const http = await fetch(`${url}/healthz`).then(
          () => 'http up',
          () => 'http down',
        )
        events.push(`close ${name}: ${http}, store head ${await store.headSyncId()}`)
      },
    })
    const server = await createServer({ schema, store, port: 0, plugins: [plugin('a'), plugin('b'), plugin('c')] })
    url = server.url
    expect(events).toEqual(['setup a (head 0)', 'setup b (head 0)', 'setup c (head 0)'])
    await server.close()
    expect(events.slice(3)).toEqual([
      'close c: http down, store head 0',
      'close b: http down, store head 0',
      'close a: http down, store head 0',
      'store closed',
    ])
  })

  it('a setup that throws rejects createServer, closes the plugins set up before it (newest first) and the store', async () => {
    const events: string[] = []
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    defer(() => errors.mockRestore())
    const store = memoryStore()
    const closeStore = store.close.bind(store)
    store.close = async () => {
      events.push('store closed')
      await closeStore()
    }
    const ok = (name: string): ServerPlugin => ({ name, setup: () => void events.push(`setup ${name}`), close: () => void events.push(`close ${name}`) })
    const broken: ServerPlugin = {
      name: 'broken',
      setup: () => {
        events.push('setup broken')
        throw new Error('no config')
      },
      close: () => void events.push('close broken'),
    }
    await expect(createServer({ schema, store, port: 0, plugins: [ok('a'), ok('b'), broken, ok('never')] })).rejects.toThrow('no config')
    expect(events).toEqual(['setup a', 'setup b', 'setup broken', 'close b', 'close a', 'store closed'])
    expect(errors).toHaveBeenCalledWith('[tandem:broken] setup failed:', expect.any(Error))
  })

  it('a port already taken rejects createServer and closes the plugins it set up', async () => {
    const first = await createServer({ schema, store: memoryStore(), port: 0 })
    defer(() => first.close())
    const events: string[] = []
    const plugin: ServerPlugin = { name: 'p', setup: () => void events.push('setup'), close: () => void events.push('close') }
    await expect(createServer({ schema, store: memoryStore(), port: first.port, plugins: [plugin] })).rejects.toThrow(/EADDRINUSE/)
    expect(events).toEqual(['setup', 'close'])
  })

  it('refuses two plugins with the same name', async () => {
    const p: ServerPlugin = { name: 'twin', setup: () => undefined }
    await expect(createServer({ schema, store: memoryStore(), port: 0, plugins: [p, { ...p }] })).rejects.toThrow(/named "twin"/)
  })
})
