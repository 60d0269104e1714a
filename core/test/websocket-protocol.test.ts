import { describe, expect, it } from 'vitest'
import { openProtocolSocket as open } from '@tandem/core/testing'
import { setup } from './helpers.ts'

describe('WebSocket protocol', () => {
  it('bootstraps, then answers bad frames with typed errors without dropping the socket', async () => {
    const { server, http } = await setup()
    const c = open(server.url)
    await c.opened
    c.ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: server.secretKey, cursor: null }))
    expect(await c.next((f) => f.type === 'welcome')).toMatchObject({ actor: { kind: 'agent', transport: 'websocket' } })
    expect(await c.next((f) => f.type === 'bootstrap')).toMatchObject({ syncId: 0, rows: { tasks: [] } })
    await c.next((f) => f.type === 'synced')

    c.ws.send('{not json')
    expect((await c.next((f) => f.type === 'error')).error).toMatchObject({ code: 'invalid_json' })
    c.ws.send(JSON.stringify({ type: 'rpc', id: 7, method: 'drop_tables', params: {} }))
    expect(await c.next((f) => f.type === 'result' && f.id === 7)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    c.ws.send(JSON.stringify({ type: 'rpc', id: 8, method: 'commit', params: { operations: [{ op: 'create', model: 'tasks', data: { title: 5 } }] } }))
    expect(await c.next((f) => f.type === 'result' && f.id === 8)).toMatchObject({ ok: false, error: { type: 'TandemValidationError', code: 'invalid_data' } })
    c.ws.send('x'.repeat((1 << 20) + 10))
    expect((await c.next((f) => f.type === 'error')).error).toMatchObject({ code: 'payload_too_large' })

    c.ws.send(
      JSON.stringify({
        type: 'rpc',
        id: 9,
        method: 'commit',
        params: { operations: [{ op: 'create', model: 'tasks', id: 'w1', data: { title: 'ok' } }], txId: 'tx-1' },
      }),
    )
    const changes = await c.next((f) => f.type === 'changes')
    expect(changes.entries[0]).toMatchObject({ syncId: 1, txId: 'tx-1', changes: [{ id: 'w1', op: 'create' }] })
    expect(await c.next((f) => f.type === 'result' && f.id === 9)).toMatchObject({ ok: true, value: { syncId: 1 } })
    expect((await http('GET', '/healthz')).body.syncId).toBe(1)
    c.ws.close()
  })

  it('resumes from a cursor with only the changes after it', async () => {
    const { server, http } = await setup()
    for (let i = 0; i < 3; i++) await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: `r${i}`, data: { title: `t${i}` } }] })
    const c = open(server.url)
    await c.opened
    c.ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: server.secretKey, cursor: 1 }))
    const changes = await c.next((f) => f.type === 'changes')
    expect(changes.entries.map((e: any) => e.syncId)).toEqual([2, 3])
    expect(await c.next((f) => f.type === 'synced')).toMatchObject({ syncId: 3 })
    c.ws.close()
  })

  it('refuses a bad token with an error frame and close code 4001', async () => {
    const { server } = await setup()
    const c = open(server.url)
    await c.opened
    c.ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: 'sk_test_nope', cursor: null }))
    expect((await c.next((f) => f.type === 'error')).error).toMatchObject({ type: 'TandemAuthError', code: 'unauthenticated' })
    expect((await c.closed).code).toBe(4001)
  })

  it('closes a socket whose first frame is not hello', async () => {
    const { server } = await setup()
    const c = open(server.url)
    await c.opened
    c.ws.send(JSON.stringify({ type: 'ping' }))
    expect((await c.closed).code).toBe(4002)
  })
})
