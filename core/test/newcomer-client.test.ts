/** What a new user hit with the client (issue 18): silent hangs, late schema errors, future readAt, the stale flag. */
import Tandem from '@tandem/core'
import { defineSchema, model } from '@tandem/core/schema'
import { TandemAuthError, TandemConnectionError, TandemValidationError } from '@tandem/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { sqliteStore } from '@tandem/core/server'
import { defer, setup } from './helpers.ts'
import { schema } from './fixtures.ts'

describe('newcomer: credentials and unreachable servers', () => {
  it('no apiKey, no TANDEM_API_KEY, no getToken: auth_blocked at once, ready() names the option', async () => {
    const saved = process.env.TANDEM_API_KEY
    delete process.env.TANDEM_API_KEY
    defer(() => void (saved === undefined ? undefined : (process.env.TANDEM_API_KEY = saved)))
    const { server } = await setup()
    const client = Tandem({ schema, baseURL: server.url })
    defer(() => client.dispose())
    const error = await client.ready().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TandemAuthError)
    expect(error).toMatchObject({ code: 'unauthenticated', param: 'apiKey' })
    expect((error as Error).message).toMatch(/apiKey.*getToken.*TANDEM_API_KEY/)
    expect(client.status.get()).toBe('auth_blocked')
    expect(client.authError.get()).toBe(error)
  })

  it('a wrong port: ready({ timeoutMs }) and create({ timeout }) reject with timeout; the write stays queued', async () => {
    const { server } = await setup()
    const client = Tandem({ schema, baseURL: 'http://127.0.0.1:1', apiKey: server.secretKey })
    defer(() => client.dispose())
    await expect(client.ready({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' })
    await expect(client.ready({ timeoutMs: 50 })).rejects.toBeInstanceOf(TandemConnectionError)
    expect(client.ready().status).toBe('pending')
    await expect(client.tasks.create({ id: 'q', data: { title: 'queued' }, timeout: 50 })).rejects.toMatchObject({ code: 'timeout' })
    expect(client.pendingCount()).toBe(1)
    expect(client.tasks.get('q')).toMatchObject({ title: 'queued' })
  })
})

describe('newcomer: readAt ahead of the cursor', () => {
  it('is refused with invalid_data naming the cursor, over WebSocket and HTTP', async () => {
    const { client, http } = await setup()
    const c = client()
    await c.ready()
    const row = await c.tasks.create({ id: 'r', data: { title: 'x' } })
    const ws = await c.tasks.update({ id: 'r', data: { title: 'y' }, readAt: row.syncId + 100 }).catch((e: unknown) => e)
    expect(ws).toBeInstanceOf(TandemValidationError)
    expect(ws).toMatchObject({ code: 'invalid_data', param: 'readAt' })
    expect((ws as Error).message).toContain(`current cursor ${row.syncId}`)
    const res = await http('POST', '/v1/commits', { operations: [{ op: 'delete', model: 'tasks', id: 'r', readAt: 999 }] })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_data', param: 'operations[0].readAt' })
    // readAt at the cursor itself is fine.
    await expect(c.tasks.update({ id: 'r', data: { title: 'z' }, readAt: row.syncId })).resolves.toMatchObject({ title: 'z' })
  })
})

describe("newcomer: onStale: 'flag' through the client", () => {
  it('marks the returned row stale (non-enumerable), and only on flag writes', async () => {
    const { client } = await setup()
    const c = client()
    await c.ready()
    const row = await c.tasks.create({ id: 's', data: { title: 'a' } })
    await c.tasks.update({ id: 's', data: { title: 'b' } })
    const flagged = await c.tasks.update({ id: 's', data: { title: 'c' }, readAt: row.syncId, onStale: 'flag' })
    expect(flagged.stale).toBe(true)
    expect(Object.keys(flagged)).not.toContain('stale')
    const fresh = await c.tasks.update({ id: 's', data: { title: 'd' }, readAt: flagged.syncId, onStale: 'flag' })
    expect(fresh.stale).toBe(false)
    const plain = await c.tasks.update({ id: 's', data: { title: 'e' } })
    expect('stale' in plain).toBe(false)
  })
})

describe('newcomer: zod types in a schema', () => {
  it('refuses types rows cannot carry, naming the field and what to use', () => {
    const cases: Array<[z.ZodType, RegExp]> = [
      [z.date(), /tasks\.due uses z\.date\(\).*z\.iso\.datetime\(\)/],
      [z.date().optional(), /z\.date\(\)/],
      [z.bigint(), /z\.bigint\(\).*z\.number\(\)\.int\(\)/],
      [z.object({ at: z.date() }), /z\.date\(\)/],
      [z.array(z.bigint()), /z\.bigint\(\)/],
      [z.map(z.string(), z.number()), /z\.map\(\).*z\.record/],
      [z.set(z.string()), /z\.set\(\).*z\.array/],
    ]
    for (const [due, message] of cases) expect(() => defineSchema({ tasks: model({ due }) })).toThrow(message)
  })

  const rich = defineSchema({
    items: model({
      when: z.iso.datetime(),
      meta: z.object({ tags: z.array(z.string()), size: z.number() }),
      scores: z.record(z.string(), z.number()),
      note: z.string().nullable(),
      extra: z.string().optional(),
      level: z.number().int().default(1),
      kind: z.enum(['a', 'b']),
      fixed: z.literal('x'),
      either: z.union([z.string(), z.number()]),
    }),
  })
  const data = {
    when: '2026-12-03T10:00:00.000Z',
    meta: { tags: ['t'], size: 2 },
    scores: { a: 1 },
    note: null,
    kind: 'b' as const,
    fixed: 'x' as const,
    either: 3,
  }
  for (const store of ['memory', 'sqlite'] as const) {
    it(`supports the rest with a create round trip (${store})`, async () => {
      const options = store === 'sqlite' ? { store: sqliteStore({ path: ':memory:' }) } : {}
      const { client } = await setup({ schema: rich, ...options })
      const [a, b] = [client(), client()]
      await Promise.all([a.ready(), b.ready()])
      await a.items.create({ id: 'i', data })
      expect(await b.items.retrieve({ id: 'i' })).toMatchObject({ ...data, level: 1 })
    })
  }
})
