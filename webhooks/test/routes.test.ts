import { verify } from '@tandem/webhooks/signing'
import { expect, it } from 'vitest'
import { start } from './harness.ts'
import { Receiver } from './receiver.ts'

it('secret keys only: no credential is 401, a session token 403, on every route', async () => {
  const { http } = await start()
  const token = (await http('POST', '/v1/sessions', { userId: 'ada', groups: ['org:default'] })).body.token as string
  const routes: Array<[string, string]> = [
    ['GET', '/v1/webhook_endpoints'],
    ['POST', '/v1/webhook_endpoints'],
    ['GET', '/v1/webhook_endpoints/we_x'],
    ['PATCH', '/v1/webhook_endpoints/we_x'],
    ['DELETE', '/v1/webhook_endpoints/we_x'],
    ['POST', '/v1/webhook_endpoints/we_x/roll_secret'],
    ['GET', '/v1/webhook_endpoints/we_x/deliveries'],
  ]
  for (const [method, path] of routes) {
    expect((await http(method, path, undefined, '')).body.error.code, `${method} ${path}`).toBe('unauthenticated')
    const res = await http(method, path, undefined, token)
    expect([res.status, res.body.error.code], `${method} ${path}`).toEqual([403, 'forbidden'])
  }
})

it('create, read, list, update, delete: the secret only at creation, the cursor read-only, typed errors', async () => {
  const { http, commit } = await start()
  await commit({ op: 'create', model: 'tasks', id: 't0', data: { title: 'before' } })
  const created = await http('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', description: 'crm sync' })
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({
    object: 'webhook_endpoint',
    url: 'http://127.0.0.1:9/hook',
    description: 'crm sync',
    enabledEvents: ['*'],
    status: 'enabled',
    cursor: 1,
  })
  expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
  const id = created.body.id as string

  const read = await http('GET', `/v1/webhook_endpoints/${id}`)
  expect(read.body).not.toHaveProperty('secret')
  expect(JSON.stringify((await http('GET', '/v1/webhook_endpoints')).body)).not.toContain('whsec_')
  expect((await http('GET', '/v1/webhook_endpoints')).body).toMatchObject({ object: 'list', data: [{ id }], hasMore: false })

  const disabled = await http('PATCH', `/v1/webhook_endpoints/${id}`, { disabled: true, enabledEvents: ['tasks.*'] })
  expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'manual', enabledEvents: ['tasks.*'] })
  expect((await http('PATCH', `/v1/webhook_endpoints/${id}`, { status: 'enabled' })).body).toMatchObject({ status: 'enabled', disabledReason: null })

  const cursor = await http('PATCH', `/v1/webhook_endpoints/${id}`, { cursor: 0 })
  expect([cursor.status, cursor.body.error.code]).toEqual([400, 'invalid_request'])
  const disagree = await http('PATCH', `/v1/webhook_endpoints/${id}`, { status: 'enabled', disabled: true })
  expect([disagree.status, disagree.body.error.param]).toEqual([400, 'disabled'])
  const events = await http('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/', enabledEvents: ['invoices.created'] })
  expect([events.status, events.body.error.param]).toEqual([400, 'enabledEvents'])
  expect(events.body.error.message).toContain('invoices.created')
  const json = await http('POST', '/v1/webhook_endpoints', '{"url":')
  expect([json.status, json.body.error.code]).toEqual([400, 'invalid_json'])
  const missing = await http('POST', '/v1/webhook_endpoints', {})
  expect([missing.status, missing.body.error.code]).toEqual([400, 'invalid_request'])

  expect((await http('DELETE', `/v1/webhook_endpoints/${id}`)).body).toEqual({ object: 'webhook_endpoint', id, deleted: true })
  for (const [method, path] of [
    ['GET', `/v1/webhook_endpoints/${id}`],
    ['PATCH', `/v1/webhook_endpoints/${id}`],
    ['DELETE', `/v1/webhook_endpoints/${id}`],
    ['POST', `/v1/webhook_endpoints/${id}/roll_secret`],
    ['GET', `/v1/webhook_endpoints/${id}/deliveries`],
  ] as const) {
    const res = await http(method, path, method === 'GET' || method === 'DELETE' ? undefined : {})
    expect([res.status, res.body.error.type, res.body.error.code], `${method} ${path}`).toEqual([404, 'TandemNotFoundError', 'not_found'])
  }
})

it('roll_secret: during the overlap every delivery carries two signatures and each secret verifies; expiresInSeconds 0 drops the old one', async () => {
  const { http, commit, endpoint, attempts } = await start()
  const { receiver, endpoint: e } = await endpoint()
  const oldSecret = e.secret
  const rolled = await http('POST', `/v1/webhook_endpoints/${e.id}/roll_secret`)
  expect(rolled.status).toBe(200)
  const newSecret = rolled.body.secret as string
  expect(newSecret).not.toBe(oldSecret)
  expect(Date.parse(rolled.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000)

  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await receiver.until(() => receiver.events.length === 1)
  const during = receiver.requests[0]!
  expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2)
  for (const secret of [oldSecret, newSecret]) expect(() => verify(secret, during.headers as Record<string, string>, during.body)).not.toThrow()

  // Roll again ending the overlap now: only the newest secret signs.
  const now = await http('POST', `/v1/webhook_endpoints/${e.id}/roll_secret`, { expiresInSeconds: 0 })
  receiver.secrets = [now.body.secret]
  await commit({ op: 'create', model: 'tasks', id: 't2', data: { title: 'two' } })
  await receiver.until(() => receiver.events.length === 2)
  const after = receiver.requests.at(-1)!
  expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1)
  expect(() => verify(newSecret, after.headers as Record<string, string>, after.body)).toThrow()
  expect(() => verify(now.body.secret, after.headers as Record<string, string>, after.body)).not.toThrow()
  await attempts.until(() => attempts.of(e.id).length === 2)

  const deliveries = await http('GET', `/v1/webhook_endpoints/${e.id}/deliveries?limit=1`)
  expect(deliveries.body).toMatchObject({
    object: 'list',
    hasMore: true,
    data: [{ object: 'webhook_delivery', ok: true, status: 204, attempt: 1, eventCount: 1, error: null }],
  })
  const bad = await http('GET', `/v1/webhook_endpoints/${e.id}/deliveries?limit=0`)
  expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request'])
  const badRoll = await http('POST', `/v1/webhook_endpoints/${e.id}/roll_secret`, { expiresInSeconds: 90_000 })
  expect([badRoll.status, badRoll.body.error.code]).toEqual([400, 'invalid_request'])
})

it('keeps only the newest deliveryHistory attempts per endpoint', async () => {
  const { http, commit, endpoint, attempts } = await start({ deliveryHistory: 3, maxBatchEvents: 1 })
  const { endpoint: e } = await endpoint({}, await new Receiver().up())
  for (let i = 0; i < 5; i++) await commit({ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } })
  await attempts.until(() => attempts.of(e.id).length === 5)
  const list = (await http('GET', `/v1/webhook_endpoints/${e.id}/deliveries`)).body.data as Array<{ lastSyncId: number }>
  expect(list.map((a) => a.lastSyncId)).toEqual([5, 4, 3])
})
