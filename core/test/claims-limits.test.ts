import { describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import {
  createServer,
  memoryClaimCoordinator,
  memoryStore,
  sqliteStore,
  storeClaimCoordinator,
  type ClaimCoordinator,
  type ServerOptions,
} from '@tandem/core/server'
import { schema } from './fixtures.ts'
import { defer, setup as baseSetup } from './helpers.ts'
import { until } from '@tandem/core/testing'

// Durations, the line ceiling and the per-session cap on waiting claims (issue 22, items 1 and 7).
type Options = Omit<Partial<ServerOptions>, 'schema'>
const stores = [
  ['memory store, in-process coordinator', (o: Options): Options => ({ ...o, store: memoryStore() })],
  ['sqlite store, in-process coordinator', (o: Options): Options => ({ ...o, store: sqliteStore({ path: ':memory:' }) })],
  [
    'memory store, store-backed coordinator',
    (o: Options): Options => {
      const store = memoryStore()
      return { ...o, store, claimCoordinator: storeClaimCoordinator(store) }
    },
  ],
  [
    'sqlite store, store-backed coordinator',
    (o: Options): Options => {
      const store = sqliteStore({ path: ':memory:' })
      return { ...o, store, claimCoordinator: storeClaimCoordinator(store) }
    },
  ],
] as const

async function setup(configure: (o: Options) => Options, o: Options = {}) {
  const s = await baseSetup(configure(o))
  const mint = async (userId: string) => (await s.http('POST', '/v1/sessions', { userId, groups: ['org:default'] })).body.token as string
  const as = (token: string) => (method: string, path: string, body?: unknown) => s.http(method, path, body, { authorization: `Bearer ${token}` })
  const create = (id: string) => s.http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id, data: { title: id } }] })
  /** Until the row has `n` claims (holders and waiters), as a watching client sees them. */
  const observer = s.client()
  const lineOf = async (id: string, n: number) => {
    await until(observer, (t) => t.tasks.claim.queue({ id }).length + (t.tasks.claim.state({ id }) ? 1 : 0) >= n)
  }
  return { ...s, mint, as, create, lineOf }
}

const hugeDurations = [
  ['ttl', '99999999999999999999h'],
  ['ttl', '999999h'],
  ['ttl', 1e20],
  ['ttl', '25h'],
  ['ttl', '3 days'],
  ['ttl', 0],
  ['timeoutMs', '99999999999999999999h'],
  ['timeoutMs', 1e12],
] as const

describe.each(stores)('claim durations (%s)', (_name, configure) => {
  it('an out-of-range ttl or timeoutMs is a 400 naming the range and units, and leaves no claim behind', async () => {
    const { http, mint, as, create } = await setup(configure)
    const ada = as(await mint('ada'))
    await create('wedge')
    const answers = []
    for (const [field, value] of hugeDurations)
      answers.push({ field, value, res: await ada('POST', '/v1/claims', { model: 'tasks', id: 'wedge', [field]: value, wait: false }) })
    // Nothing is left on the row: a secret key writes, and anyone may claim it at once.
    expect((await http('GET', '/v1/claims?model=tasks&id=wedge')).body).toEqual({ holder: null, queue: [], claims: [] })
    expect((await http('GET', '/v1/claims/active')).body.data).toEqual([])
    expect((await http('POST', '/v1/commits', { operations: [{ op: 'update', model: 'tasks', id: 'wedge', data: { title: 'free' } }] })).status).toBe(200)
    for (const { field, value, res } of answers) {
      expect(res.status, `${field}: ${value}`).toBe(400)
      expect(res.body.error).toMatchObject({ type: 'TandemValidationError', code: 'invalid_request', param: field })
      expect(res.body.error.message).toContain(`${field} must be from 1 ms to 24 h`)
      expect(res.body.error.message).toContain('(ms, s, m, h, d)')
    }
    const claim = await ada('POST', '/v1/claims', { model: 'tasks', id: 'wedge', wait: false, ttl: '24h', timeoutMs: '5s' })
    expect(claim.status).toBe(200)
    expect(Date.parse(claim.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000)
    expect(Date.parse(claim.body.expiresAt) - Date.now()).toBeLessThanOrEqual(24 * 3_600_000)
  })

  it('the same over WebSocket: the client refuses before sending, the server refuses a raw frame', async () => {
    const { server, create } = await setup(configure)
    await create('ws')
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    defer(() => c.dispose())
    await c.ready()
    await expect(c.tasks.claim({ id: 'ws', ttl: '999999h' })).rejects.toMatchObject({ code: 'invalid_request', param: 'ttl' })
    await expect(c.tasks.claim({ id: 'ws', timeoutMs: 1e12 })).rejects.toMatchObject({ code: 'invalid_request', param: 'timeoutMs' })

    const ws = new WebSocket(server.url.replace('http', 'ws') + '/v1/sync', 'tandem.v1')
    defer(() => ws.close())
    const frames: any[] = []
    let arrived = () => {}
    ws.onmessage = (e) => (frames.push(JSON.parse(String(e.data))), arrived())
    const next = async (pred: (f: any) => boolean) => {
      for (;;) {
        const f = frames.find(pred)
        if (f) return f
        await new Promise<void>((r) => (arrived = r))
      }
    }
    await new Promise((r) => (ws.onopen = r))
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: server.secretKey, cursor: null }))
    await next((f) => f.type === 'synced')
    ws.send(JSON.stringify({ type: 'rpc', id: 1, method: 'claim', params: { model: 'tasks', id: 'ws', ttl: '99999999999999999999h' } }))
    expect((await next((f) => f.type === 'result' && f.id === 1)).error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('24 h') })
    const held = await c.tasks.claim({ id: 'ws', wait: false })
    expect(held.lost).toBe(false)
    await held.release()
  })
})

describe.each([
  ['in-process', () => memoryClaimCoordinator()],
  ['store-backed', () => storeClaimCoordinator(memoryStore())],
] as const)('the %s coordinator', (_name, make: () => ClaimCoordinator) => {
  it('refuses a lease it could not represent with a typed error, before any state exists', async () => {
    const claims = make()
    defer(() => claims.close())
    const input = (ttlMs: number, timeoutMs?: number) => ({
      target: { model: 'tasks', id: 'r' },
      action: '',
      wait: true,
      ttlMs,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      holder: { id: 'a', kind: 'agent' as const },
      credentialId: 'a',
      ownerId: 'a',
      groups: [],
    })
    for (const [ttlMs, timeoutMs] of [[3.6e26], [Infinity], [Number.NaN], [-1], [24 * 3_600_000 + 1], [1000, 1e12]] as Array<[number, number?]>) {
      let thrown: unknown
      try {
        await claims.acquire(input(ttlMs, timeoutMs))
      } catch (error) {
        thrown = error
      }
      expect(thrown, `ttlMs ${ttlMs}`).toMatchObject({ type: 'TandemValidationError', code: 'invalid_request' })
    }
    expect(await claims.claimsOn('tasks', 'r')).toEqual([])
    expect(await claims.all()).toEqual([])
    const grant = await claims.acquire(input(1000))
    expect(grant.state).toMatchObject({ status: 'active', expiresAt: expect.any(String) })
  })
})

it('session ttl: seconds or a string with a unit, 2 s to 7 days, and a refusal that says so', async () => {
  const { http } = await baseSetup()
  const mint = (ttl: unknown) => http('POST', '/v1/sessions', { userId: 'u', groups: ['org:default'], ttl })
  for (const bad of ['3 days', '99999999999999999999h', '8d', 1, 1e20, '1500ms']) {
    const res = await mint(bad)
    expect(res.status, String(bad)).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_request', param: 'ttl' })
    expect(res.body.error.message).toContain('ttl must be from 2 s to 7 d: a whole number of seconds, or a whole number with a unit (ms, s, m, h, d)')
  }
  const inMinutes = await mint('15m')
  expect(inMinutes.status).toBe(201)
  expect(Date.parse(inMinutes.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000)
  expect(Date.parse(inMinutes.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000)
  expect((await mint(900)).status).toBe(201)
  expect((await mint('7d')).status).toBe(201)
})

it('createServer refuses claim settings no claim could live with', async () => {
  for (const claims of [{ defaultTtlMs: Infinity }, { defaultTtlMs: 1e20 }, { maxQueueDepth: 0 }, { maxWaitingPerSession: -1 }]) {
    await expect(createServer({ schema, store: memoryStore(), port: 0, claims })).rejects.toMatchObject({ code: 'invalid_request' })
  }
})

describe.each(stores.filter(([name]) => name.startsWith('memory')))('claim caps (%s)', (_name, configure) => {
  it('the server ceiling on maxQueueDepth holds whatever the caller asks', async () => {
    const { as, mint, create, lineOf } = await setup(configure, { claims: { maxQueueDepth: 2 } })
    const [ada, bob, cy] = [as(await mint('ada')), as(await mint('bob')), as(await mint('cy'))]
    await create('deep')
    const held = await ada('POST', '/v1/claims', { model: 'tasks', id: 'deep' })
    const waiting = bob('POST', '/v1/claims', { model: 'tasks', id: 'deep', timeoutMs: 20_000 }) // one ahead: may wait
    await lineOf('deep', 2)
    for (const ask of [{}, { maxQueueDepth: 50 }]) {
      const refused = await cy('POST', '/v1/claims', { model: 'tasks', id: 'deep', timeoutMs: 300, ...ask })
      expect(refused.status).toBe(409)
      expect(refused.body.error).toMatchObject({ code: 'queue_too_deep', details: { ahead: 2, maxQueueDepth: 2 } })
    }
    await ada('DELETE', `/v1/claims/${held.body.id}`)
    const granted = await waiting
    expect(granted.body.status).toBe('active')
  })

  it('a session token may have only so many claims waiting; a free row it may still claim; secret keys are not capped', async () => {
    const { as, mint, create, http, lineOf } = await setup(configure, { claims: { maxWaitingPerSession: 2 } })
    const adaToken = await mint('ada')
    const ada = as(adaToken)
    for (const id of ['a', 'b', 'c', 'free']) await create(id)
    const holds = await Promise.all(['a', 'b', 'c'].map(async (id) => (await http('POST', '/v1/claims', { model: 'tasks', id })).body.id as string))

    const waits = ['a', 'b'].map((id) => ada('POST', '/v1/claims', { model: 'tasks', id, timeoutMs: 20_000 }))
    await lineOf('a', 2)
    await lineOf('b', 2)
    const third = await ada('POST', '/v1/claims', { model: 'tasks', id: 'c', timeoutMs: 300 })
    expect(third.status).toBe(429)
    expect(third.body.error).toMatchObject({ type: 'TandemClaimedError', code: 'too_many_waiting_claims', details: { waiting: 2, maxWaitingPerSession: 2 } })
    // wait: false is told who holds the row, as always.
    expect((await ada('POST', '/v1/claims', { model: 'tasks', id: 'c', wait: false })).body.error).toMatchObject({ code: 'entity_claimed' })
    const free = await ada('POST', '/v1/claims', { model: 'tasks', id: 'free' })
    expect(free.body.status).toBe('active')

    // A secret key (a pool of workers shares one) is not capped.
    const keyWaits = ['a', 'b', 'c'].map((id) => http('POST', '/v1/claims', { model: 'tasks', id, timeoutMs: 20_000 }))
    await lineOf('c', 2)

    // One of Ada's claims is granted: she may wait for another again.
    await http('DELETE', `/v1/claims/${holds[0]}`)
    expect((await waits[0]!).body.status).toBe('active')
    const again = ada('POST', '/v1/claims', { model: 'tasks', id: 'c', timeoutMs: 20_000 })
    await lineOf('c', 3)
    for (const id of holds.slice(1)) await http('DELETE', `/v1/claims/${id}`)
    await http('DELETE', `/v1/claims/${(await waits[0]!).body.id}`)
    for (const w of [waits[1]!, ...keyWaits]) {
      const granted = (await w).body
      expect(granted.status).toBe('active')
      await http('DELETE', `/v1/claims/${granted.id}`)
    }
    expect((await again).body.status).toBe('active')
  })
})
