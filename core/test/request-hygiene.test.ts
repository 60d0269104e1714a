/**
 * Findings of an outside probe (issue 22) on how requests are read: one
 * participant schema for both doors, `__proto__` refused like any unknown
 * field, decimal-only numbers in query strings, security headers, and text
 * no store can keep refused by the client before it is sent.
 */
import { describe, expect, it } from 'vitest'
import { openProtocolSocket } from '@tandem/core/testing'
import { setup } from './helpers.ts'

/** A raw protocol socket; resolves once the server answered the hello (welcome or close). */
async function hello(url: string, token: string, participant?: unknown) {
  const s = openProtocolSocket(url)
  await s.opened
  s.send({ type: 'hello', protocol: 1, token, cursor: null, ...(participant ? { participant } : {}) })
  const first = await s.next((f) => f.type === 'welcome' || f.type === 'error')
  return { ws: s.ws, first, closed: s.closed, next: s.next }
}

describe('request hygiene', () => {
  it('a participant name over 200 characters (or holding NUL) is refused on both doors; 200 is fine', async () => {
    const { server, http } = await setup()
    const headers = (name: string) => ({ 'tandem-participant-kind': 'agent', 'tandem-participant-name': name })
    const long = await http('GET', '/v1/models/tasks', undefined, headers('n'.repeat(201)))
    expect(long.status).toBe(400)
    expect(long.body.error).toMatchObject({ type: 'TandemValidationError', code: 'invalid_request', param: 'name' })
    const ok = await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 't1', data: { title: 'x' } }] }, headers('n'.repeat(200)))
    expect(ok.status).toBe(200)
    const audit = await http('GET', '/v1/audit?model=tasks&id=t1')
    expect(audit.body.data[0].actor.name).toBe('n'.repeat(200))

    for (const name of ['n'.repeat(201), 'nul\u0000name', 'lone\ud800']) {
      const s = await hello(server.url, server.secretKey, { kind: 'agent', name })
      expect(s.first.error, name.slice(0, 8)).toMatchObject({ code: 'invalid_request', param: 'participant.name' })
      await s.closed
    }
    const fine = await hello(server.url, server.secretKey, { kind: 'agent', name: 'n'.repeat(200) })
    expect(fine.first).toMatchObject({ type: 'welcome', actor: { name: 'n'.repeat(200) } })
    fine.ws.close()
  })

  it('a "__proto__" key in data is refused as an unknown field, like any other (HTTP and socket, create and update)', async () => {
    const { server, http } = await setup()
    const post = (text: string) => http('POST', '/v1/commits', text)
    const create = await post('{"operations":[{"op":"create","model":"tasks","id":"p1","data":{"title":"x","__proto__":{"polluted":true}}}]}')
    expect(create.status).toBe(400)
    expect(create.body.error).toMatchObject({ code: 'unknown_field', param: 'operations[0].__proto__' })
    expect((await http('GET', '/v1/models/tasks/p1')).status).toBe(404)
    expect((await post('{"operations":[{"op":"create","model":"tasks","id":"p1","data":{"title":"x"}}]}')).status).toBe(200)
    const update = await post('{"operations":[{"op":"update","model":"tasks","id":"p1","data":{"__proto__":{"title":"y"}}}]}')
    expect(update.status).toBe(400)
    expect(update.body.error).toMatchObject({ code: 'unknown_field', param: 'operations[0].__proto__' })

    const s = await hello(server.url, server.secretKey)
    await s.next((f) => f.type === 'synced')
    s.ws.send('{"type":"rpc","id":1,"method":"commit","params":{"operations":[{"op":"create","model":"tasks","data":{"title":"x","__proto__":{}}}]}}')
    expect(await s.next((f) => f.type === 'result')).toMatchObject({ ok: false, error: { code: 'unknown_field', param: 'operations[0].__proto__' } })
    s.ws.close()
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('numbers in query strings are decimal digits only: 0x10, 1e1, -1 and blanks are refused', async () => {
    const { http } = await setup()
    await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 't1', data: { title: 'x' } }] })
    const refused = [
      '/v1/changes?after=0x10',
      '/v1/changes?after=1e1',
      '/v1/changes?after=-1',
      '/v1/changes?after=%201',
      '/v1/changes?after=',
      '/v1/changes?limit=0x10',
      '/v1/changes?wait=0x1',
      '/v1/changes?wait=1e1',
      '/v1/models/tasks?limit=0x10',
      '/v1/models/tasks/t1?timeoutMs=0x10',
      '/v1/audit?model=tasks&id=t1&limit=0x10',
    ]
    for (const path of refused) {
      const res = await http('GET', path)
      expect(res.status, path).toBe(400)
      expect(res.body.error, path).toMatchObject({ code: 'invalid_request' })
    }
    expect((await http('GET', '/v1/changes?after=0&limit=10&wait=0.5')).body.data).toHaveLength(1)
    expect((await http('GET', '/v1/changes?after=1')).body).toMatchObject({ data: [], cursor: 1 })
    expect((await http('GET', '/v1/models/tasks?limit=1')).body.data).toHaveLength(1)
  })

  it('every answer carries security headers (success, error, not found, preflight); CORS keeps working', async () => {
    const { server, http } = await setup()
    const origin = { origin: 'https://app.example' }
    const answers = [
      await fetch(`${server.url}/v1/models/tasks`, { headers: { authorization: `Bearer ${server.secretKey}`, ...origin } }),
      await fetch(`${server.url}/v1/models/tasks`, { headers: origin }),
      await fetch(`${server.url}/nope`),
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/v1/commits`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } }),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 200, 204])
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    }
    expect(answers[0]!.headers.get('access-control-allow-origin')).toBe('*')
    expect(answers[4]!.headers.get('access-control-allow-origin')).toBe('*')
    // The WebSocket upgrade is not an HTTP answer of the app: it still opens.
    const s = await hello(server.url, server.secretKey)
    expect(s.first.type).toBe('welcome')
    s.ws.close()
    expect((await http('GET', '/healthz')).status).toBe(200)
  })

  it('the client refuses text with NUL or an unpaired surrogate before sending, with the error the server gives', async () => {
    const { client, http } = await setup()
    const c = client()
    await c.ready()
    await expect(c.tasks.create({ data: { title: 'a\u0000b' } })).rejects.toMatchObject({ type: 'TandemValidationError', code: 'invalid_data', param: 'title' })
    const t = await c.tasks.create({ data: { title: 'fine' } })
    await expect(c.tasks.update({ id: t.id, data: { assignee: '\udc00' } })).rejects.toMatchObject({ code: 'invalid_data', param: 'assignee' })
    expect((await http('GET', `/v1/models/tasks/${t.id}`)).body).toMatchObject({ title: 'fine', assignee: null })
  })
})
