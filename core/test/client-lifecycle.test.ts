/** Starting and blocking: `autoConnect: false` + `start()`, the `ready()` promise, and `tandem.authError`. */
import { describe, expect, it } from 'vitest'
import Tandem, { type TandemError, type Transport, websocketTransport } from '@tandem/core'
import { keyKind, newKeyRecord } from '@tandem/core/server'
import { untilStatus } from '@tandem/core/testing'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

/** A WebSocket transport that counts the sockets it opens. */
function counting(): { transport: Transport; opened: () => number } {
  const inner = websocketTransport()
  let opened = 0
  return { transport: { kind: 'counting', connect: (url, handlers) => (opened++, inner.connect(url, handlers)) }, opened: () => opened }
}

/** The next error `store` reports; rejects after `timeoutMs`. */
const nextError = (store: { listen(fn: (v: TandemError | null) => void): () => void }, timeoutMs = 10_000) =>
  new Promise<TandemError>((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no error within ${timeoutMs} ms`))), timeoutMs)
    const off = store.listen((e) => {
      if (!e) return
      clearTimeout(timer)
      off()
      resolve(e)
    })
  })

describe('autoConnect: false', () => {
  it('opens no socket until start(); ready() waits for it', async () => {
    const { server, client } = await setup()
    const { transport, opened } = counting()
    const lazy = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, autoConnect: false, transport })
    defer(() => lazy.dispose())
    const plain = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, autoConnect: false })
    defer(() => plain.dispose())
    const ready = lazy.ready()
    expect(lazy.ready()).toBe(ready)
    expect(ready.status).toBe('pending')
    expect(lazy.status.get()).toBe('offline')

    // A client made after them connects and catches up: by then either of them would have had its socket.
    const other = client()
    await other.ready()
    expect(opened()).toBe(0)
    expect(server.connections).toBe(1)
    expect(ready.status).toBe('pending')
    // Writes made before start queue, and go out once started.
    const write = lazy.tasks.create({ id: 'early', data: { title: 'queued before start' } })
    expect(lazy.pendingCount()).toBe(1)

    lazy.start()
    lazy.start() // once is enough
    await ready
    expect(ready.status).toBe('fulfilled')
    expect(opened()).toBe(1)
    expect(server.connections).toBe(2)
    await expect(write).resolves.toMatchObject({ id: 'early' })

    plain.start()
    await plain.ready()
    expect(server.connections).toBe(3)
  })

  it('by default a client connects at once; dispose before start settles ready() as rejected', async () => {
    const { server } = await setup()
    const eager = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    defer(() => eager.dispose())
    expect(eager.status.get()).toBe('connecting')
    await eager.ready()
    expect(eager.ready().status).toBe('fulfilled')

    const never = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, autoConnect: false })
    await never.dispose()
    await expect(never.ready()).rejects.toMatchObject({ code: 'offline' })
    expect(never.ready()).toMatchObject({ status: 'rejected', reason: { code: 'offline' } })
    never.start() // after dispose: nothing happens
    expect(never.status.get()).toBe('offline')
  })
})

describe('tandem.authError', () => {
  it('is null while connected and holds the code once a revoked key blocks the client', async () => {
    const { server, http } = await setup()
    const { key, record } = newKeyRecord('ci')
    await server.store.putRecord(keyKind, record.id, record)
    // The server re-reads stored keys every second: ask until the new key works.
    const as = (path: string) => http('GET', path, undefined, { authorization: `Bearer ${key}` })
    const deadline = Date.now() + 5000
    while ((await as('/v1/models/tasks')).status !== 200 && Date.now() < deadline);

    const c = Tandem({ schema, baseURL: server.url, apiKey: key })
    defer(() => c.dispose())
    await c.ready()
    expect(c.authError.get()).toBeNull()
    const blocked = nextError(c.authError)
    await server.store.putRecord(keyKind, record.id, { ...record, revokedAt: new Date().toISOString() })
    const error = await blocked
    expect(error).toMatchObject({ type: 'TandemAuthError', code: 'session_expired' })
    expect(c.status.get()).toBe('auth_blocked')
    expect(c.authError.get()).toBe(error)
  })

  it('a wrong key: authError and the rejected ready() carry unauthenticated', async () => {
    const { server } = await setup()
    const c = Tandem({ schema, baseURL: server.url, apiKey: 'sk_test_wrong' })
    defer(() => c.dispose())
    await untilStatus(c, 'auth_blocked')
    expect(c.authError.get()).toMatchObject({ code: 'unauthenticated' })
    expect(c.ready()).toMatchObject({ status: 'rejected', reason: c.authError.get() })
  })
})
