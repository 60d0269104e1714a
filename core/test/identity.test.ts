import { describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { keyKind, newKeyRecord } from '@tandem/core/server'
import { until, untilStatus } from '@tandem/core/testing'
import { defer, setup } from './helpers.ts'

const schema = defineSchema({
  docs: model(
    { title: z.string(), team: z.string().optional() },
    // Rows follow their team when they have one, else stay in the creator's org.
    { groups: (row, ctx) => (row.team ? [`team:${row.team}`] : [ctx.defaultGroup]) },
  ),
})

async function world() {
  const env = await setup({ schema })
  const mint = async (body: Record<string, unknown>) => {
    const res = await env.http('POST', '/v1/sessions', body)
    expect(res.status).toBe(201)
    return res.body as { token: string; id: string; expiresAt: string }
  }
  const as = (token: string, extra: Record<string, unknown> = {}) => {
    const c = Tandem({ schema, baseURL: env.server.url, apiKey: token, ...extra })
    defer(() => c.dispose())
    return c
  }
  const httpAs = async (token: string, method: string, path: string, body?: unknown) => env.http(method, path, body, { authorization: `Bearer ${token}` })
  return { ...env, mint, as, httpAs }
}

describe('identity and sync groups', () => {
  it('a session token sees and writes only rows in its groups; others are invisible (404), never forbidden', async () => {
    const w = await world()
    const ada = await w.mint({ userId: 'ada', groups: ['org:acme'] })
    const bob = await w.mint({ userId: 'bob', groups: ['org:globex'] })
    const a = w.as(ada.token)
    const b = w.as(bob.token)
    await Promise.all([a.ready(), b.ready()])
    const secret = await a.docs.create({ id: 'acme-plan', data: { title: 'Acme plan' } })
    expect(secret.syncId).toBe(1)
    await b.docs.create({ id: 'globex-plan', data: { title: 'Globex plan' } })
    await until(a, (t) => t.cursor() >= 1)
    await until(b, (t) => t.docs.get('globex-plan'))

    expect(b.docs.get('acme-plan')).toBeUndefined()
    expect(await b.docs.retrieve({ id: 'acme-plan' })).toBeNull()
    expect((await b.docs.list()).map((r) => r.id)).toEqual(['globex-plan'])
    expect((await w.httpAs(bob.token, 'GET', '/v1/models/docs/acme-plan')).status).toBe(404)
    expect((await w.httpAs(bob.token, 'GET', '/v1/models/docs')).body.data.map((r: { id: string }) => r.id)).toEqual(['globex-plan'])
    const changes = await w.httpAs(bob.token, 'GET', '/v1/changes?after=0')
    expect(JSON.stringify(changes.body)).not.toContain('acme')
    await expect(b.docs.update({ id: 'acme-plan', data: { title: 'pwned' } })).rejects.toMatchObject({ code: 'not_found', status: 404 })
    await expect(b.docs.delete({ id: 'acme-plan' })).rejects.toMatchObject({ code: 'not_found' })
    await expect(b.docs.claim({ id: 'acme-plan' })).rejects.toMatchObject({ code: 'not_found' })
    expect((await w.httpAs(bob.token, 'GET', '/v1/claims?model=docs&id=acme-plan')).status).toBe(404)
    // Creating into a group the session does not have is refused.
    await expect(b.docs.create({ data: { title: 'sneak', team: 'acme-design' } })).rejects.toMatchObject({ code: 'forbidden', status: 403 })
    expect(b.snapshot().docs.map((r) => r.id)).toEqual(['globex-plan'])
    expect(a.snapshot().docs.map((r) => r.id)).toEqual(['acme-plan'])
  })

  it('moving a row between groups makes it appear and disappear on clients live', async () => {
    const w = await world()
    const lead = await w.mint({ userId: 'lead', groups: ['org:acme', 'team:design', 'team:sales'] })
    const designer = await w.mint({ userId: 'dee', groups: ['team:design'] })
    const seller = await w.mint({ userId: 'sal', groups: ['team:sales'] })
    const [l, d, s] = [w.as(lead.token), w.as(designer.token), w.as(seller.token)]
    await Promise.all([l.ready(), d.ready(), s.ready()])
    await l.docs.create({ id: 'brief', data: { title: 'Brief', team: 'design' } })
    await until(d, (t) => t.docs.get('brief'))
    expect(s.docs.get('brief')).toBeUndefined()
    await l.docs.update({ id: 'brief', data: { team: 'sales' } })
    await until(s, (t) => t.docs.get('brief')?.team === 'sales')
    await until(d, (t) => t.docs.get('brief') === undefined)
    expect(await d.docs.retrieve({ id: 'brief' })).toBeNull()
  })

  it('a session token cannot mint sessions; tampered and expired tokens get 401', async () => {
    const w = await world()
    const s = await w.mint({ userId: 'u1', groups: ['org:acme'], ttl: 60 })
    const res = await w.httpAs(s.token, 'POST', '/v1/sessions', { userId: 'evil', groups: ['org:globex'] })
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({ type: 'TandemAuthError', code: 'forbidden' })
    expect((await w.httpAs(s.token, 'DELETE', `/v1/sessions/${s.id}`)).status).toBe(403)

    const [body, sig] = s.token.split('.') as [string, string]
    const payload = JSON.parse(Buffer.from(body.slice(3), 'base64url').toString())
    const widened = `ek_${Buffer.from(JSON.stringify({ ...payload, grp: ['org:globex'] })).toString('base64url')}.${sig}`
    expect((await w.httpAs(widened, 'GET', '/v1/models/docs')).status).toBe(401)
    const flipped = s.token.slice(0, -2) + (s.token.endsWith('A') ? 'BB' : 'AA')
    expect((await w.httpAs(flipped, 'GET', '/v1/models/docs')).status).toBe(401)

    const { signSessionToken } = await import('../src/server/identity/session-token.ts')
    const secret = Buffer.from(((await w.server.store.getRecord('meta', 'session_secret')) as { secret: string }).secret, 'base64')
    const expired = signSessionToken({ ...payload, exp: Math.floor(Date.now() / 1000) - 1 }, secret)
    const res401 = await w.httpAs(expired, 'GET', '/v1/models/docs')
    expect(res401.status).toBe(401)
    expect(res401.body.error).toMatchObject({ type: 'TandemAuthError', code: 'unauthenticated' })
    expect((await w.httpAs(signSessionToken(payload, secret), 'GET', '/v1/models/docs')).status).toBe(200)
  })

  it('a revoked key stops working on open sockets within seconds, and its sessions with it', async () => {
    const w = await world()
    const { key, record } = newKeyRecord('ci')
    await w.server.store.putRecord(keyKind, record.id, record)
    // The server re-reads stored keys every second (as after `tandem keys create`): the key starts working within it.
    const deadline = Date.now() + 5000
    let session = await w.httpAs(key, 'POST', '/v1/sessions', { userId: 'k', groups: ['org:default'] })
    while (session.status !== 201 && Date.now() < deadline) session = await w.httpAs(key, 'POST', '/v1/sessions', { userId: 'k', groups: ['org:default'] })
    expect(session.status).toBe(201)
    const holder = w.as(key)
    await holder.ready()
    const viaSession = w.as(session.body.token)
    await viaSession.ready()

    await w.server.store.putRecord(keyKind, record.id, { ...record, revokedAt: new Date().toISOString() })
    await untilStatus(holder, 'auth_blocked', 5000)
    await untilStatus(viaSession, 'auth_blocked', 5000)
    await expect(holder.ready()).resolves.toBeUndefined()
    expect((await w.httpAs(key, 'GET', '/v1/models/docs')).status).toBe(401)
  })

  it('revoking a session closes its socket; getToken is asked once, and null ends in auth_blocked', async () => {
    const w = await world()
    const s = await w.mint({ userId: 'short', groups: ['org:acme'] })
    let calls = 0
    const c = w.as('', { apiKey: undefined, getToken: async () => (calls++ === 0 ? s.token : null) })
    await c.ready()
    expect(calls).toBe(1)
    expect((await w.http('DELETE', `/v1/sessions/${s.id}`)).body).toMatchObject({ revoked: true })
    await untilStatus(c, 'auth_blocked', 5000)
    expect(calls).toBe(2)
  })

  it('50 concurrent requests refused at once cause one getToken call', async () => {
    const w = await world()
    const stale = await w.mint({ userId: 'x', groups: ['org:acme'] })
    await w.http('DELETE', `/v1/sessions/${stale.id}`)
    const fresh = await w.mint({ userId: 'x', groups: ['org:acme'] })
    let calls = 0
    const c = w.as('', { apiKey: undefined, getToken: async () => (calls++ === 0 ? stale.token : fresh.token) })
    const reads = await Promise.all(Array.from({ length: 50 }, () => c.docs.retrieve({ id: 'nothing' })))
    expect(reads.every((r) => r === null)).toBe(true)
    await c.ready()
    expect(calls).toBe(2)
  })

  it('audit shows an agent acting on behalf of a user', async () => {
    const w = await world()
    const agent = await w.mint({ userId: 'forecaster-7', groups: ['org:acme'], participant: { kind: 'agent', name: 'Forecaster' }, onBehalfOf: 'user:42' })
    const a = w.as(agent.token)
    await a.ready()
    await a.docs.create({ id: 'f', data: { title: 'Forecast' } })
    await a.docs.update({ id: 'f', data: { title: 'Forecast v2' } })
    const audit = await w.httpAs(agent.token, 'GET', '/v1/audit?model=docs&id=f')
    expect(audit.body.data).toMatchObject([
      { op: 'create', actor: { id: 'forecaster-7', kind: 'agent', name: 'Forecaster', onBehalfOf: 'user:42', transport: 'websocket' } },
      { op: 'update', previous: { title: 'Forecast' }, actor: { kind: 'agent', onBehalfOf: 'user:42' } },
    ])
  })

  it('rate limits a session token with 429 rate_limited and Retry-After', async () => {
    const w = await setup({ schema, limits: { rateLimit: { sessionPerSecond: 5, sessionBurst: 5 } } })
    const s = (await w.http('POST', '/v1/sessions', { userId: 'spam', groups: ['org:acme'] })).body as { token: string }
    const results = await Promise.all(Array.from({ length: 12 }, () => w.http('GET', '/v1/models/docs', undefined, { authorization: `Bearer ${s.token}` })))
    const limited = results.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThanOrEqual(6)
    expect(limited[0]!.body.error).toMatchObject({ type: 'TandemRateLimitError', code: 'rate_limited' })
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // Secret keys are not limited by default.
    const secret = await Promise.all(Array.from({ length: 30 }, () => w.http('GET', '/v1/models/docs')))
    expect(secret.every((r) => r.status === 200)).toBe(true)
  })

  it('a wrong fixed key ends in auth_blocked with unauthenticated', async () => {
    const w = await world()
    const c = w.as('sk_test_wrong')
    await expect(c.ready()).rejects.toMatchObject({ code: 'unauthenticated' })
    expect(c.status.get()).toBe('auth_blocked')
  })
})

describe('proactive credential refresh', () => {
  it('a session token is replaced before it expires: getToken is asked again and the client stays connected', async () => {
    const w = await world()
    let calls = 0
    let firstExpiresAt = 0
    let askedAgainAt = 0
    let refreshed!: () => void
    const secondCall = new Promise<void>((resolve) => (refreshed = resolve))
    const c = w.as('', {
      apiKey: undefined,
      getToken: async () => {
        if (++calls === 2) ((askedAgainAt = Date.now()), refreshed())
        const minted = await w.mint({ userId: 'short', groups: ['org:acme'], ttl: 2 })
        if (calls === 1) firstExpiresAt = Date.parse(minted.expiresAt)
        return minted.token
      },
    })
    await c.ready()
    await c.docs.create({ id: 'before', data: { title: 'before refresh' } })
    // At 90% of the 2 s lifetime the client fetches a new token and reconnects with it.
    await secondCall
    // Asked before the first token ran out (not after the server refused it).
    expect(askedAgainAt).toBeLessThan(firstExpiresAt)
    await untilStatus(c, 'connected', 5000)
    await c.docs.create({ id: 'after', data: { title: 'after refresh' } })
    expect(calls).toBe(2)
    expect(c.status.get()).toBe('connected')
  })
})
