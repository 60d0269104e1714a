import { describe, expect, it } from 'vitest'
import type { ServerFrame } from '../protocol/index.ts'
import { httpTransport } from './http-transport.ts'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** A server that bootstraps empty, parks the long-poll, and answers commits with `commit`. */
function fakeServer(commit: () => Response) {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input))
    if (url.pathname === '/v1/bootstrap') return json(200, { object: 'bootstrap', syncId: 0, rows: {} })
    if (url.pathname === '/v1/changes' && url.searchParams.get('wait') === '0')
      return json(200, { object: 'list', data: [], hasMore: false, cursor: 0, syncId: 0 })
    if (url.pathname === '/v1/claims/active') return json(200, { object: 'list', data: [] })
    if (url.pathname === '/v1/commits') return commit()
    return new Promise<Response>(() => {}) // the parked poll
  }) as typeof fetch
}

function open(fetchImpl: typeof fetch) {
  const frames: ServerFrame[] = []
  const closed: Array<{ code: number }> = []
  const conn = httpTransport({ fetch: fetchImpl }).connect('http://127.0.0.1:1', {
    onOpen: () => {},
    onFrame: (f) => frames.push(f),
    onClose: (e) => closed.push(e),
  })
  conn.send({ type: 'hello', protocol: 1, token: 'sk_test', cursor: null })
  const commit = () => conn.send({ type: 'rpc', id: 1, method: 'commit', params: { operations: [{ op: 'create', model: 'tasks', id: 't1', data: {} }] } })
  return { frames, closed, commit, conn }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r))
  expect(check()).toBe(true)
}

describe('httpTransport', () => {
  it('forwards a refusal as the server sent it, details and all', async () => {
    const wire = { type: 'TandemClaimedError', code: 'entity_claimed', message: 'Held by Ada', param: 'id', details: { heldBy: { id: 'u1', kind: 'human' } } }
    const t = open(fakeServer(() => json(409, { error: wire })))
    await until(() => t.frames.some((f) => f.type === 'synced'))
    t.commit()
    await until(() => t.frames.some((f) => f.type === 'result'))
    expect(t.frames.find((f) => f.type === 'result')).toEqual({ type: 'result', id: 1, ok: false, error: wire })
    t.conn.close()
  })

  it('treats an answer of the wrong shape as a broken connection, not as data', async () => {
    const t = open(fakeServer(() => json(200, { object: 'commit', syncId: 'seven', rows: [] })))
    await until(() => t.frames.some((f) => f.type === 'synced'))
    t.commit()
    await until(() => t.closed.length > 0)
    expect(t.closed[0]!.code).toBe(1006)
    expect(t.frames.some((f) => f.type === 'result')).toBe(false)
  })
})
