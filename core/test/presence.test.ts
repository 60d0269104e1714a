/** Presence over a real server: join and leave, socket drops, sync-group scoping, both transports, typed errors, reconnects. */
import { createServer as createTcpServer, type Socket } from 'node:net'
import Tandem, { type PresenceEntry, TandemValidationError } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { describe, expect, it } from 'vitest'
import { defer, setup } from './helpers.ts'

const schema = defineSchema({
  docs: model({ title: z.string(), team: z.string().optional() }, { groups: (row, ctx) => (row.team ? [`team:${row.team}`] : [ctx.defaultGroup]) }),
})

type Client = ReturnType<typeof Tandem<typeof schema>>

/** Resolve once `pick(list)` is truthy, listening to the atom (no polling). */
type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>
function untilPresence<T>(client: Client, pick: (list: readonly PresenceEntry[]) => T, timeoutMs = 10_000): Promise<Truthy<T>> {
  const now = pick(client.presence.list.get())
  if (now) return Promise.resolve(now as Truthy<T>)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`presence condition not met; list is ${JSON.stringify(client.presence.list.get())}`))), timeoutMs)
    const off = client.presence.list.listen((list) => {
      const v = pick(list)
      if (!v) return
      clearTimeout(timer)
      off()
      resolve(v as Truthy<T>)
    })
  })
}

/** A TCP proxy whose connections can be cut without a WebSocket close: the server sees the socket die. */
async function killableProxy(targetPort: number) {
  const sockets = new Set<Socket>()
  const server = createTcpServer((client) => {
    const upstream = new (client.constructor as typeof Socket)().connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  defer(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))))
  return {
    url: `http://127.0.0.1:${port}`,
    kill: () => sockets.forEach((s) => s.resetAndDestroy()),
  }
}

async function world() {
  const env = await setup({ schema })
  const token = async (userId: string, groups: string[], kind: 'human' | 'agent' = 'human') => {
    const res = await env.http('POST', '/v1/sessions', { userId, groups, participant: { kind, name: userId } })
    return res.body.token as string
  }
  const as = (apiKey: string, extra: { transport?: 'http' | 'websocket'; baseURL?: string; participant?: { kind: 'human' | 'agent'; name?: string } } = {}) => {
    const c = Tandem({
      schema,
      baseURL: extra.baseURL ?? env.server.url,
      apiKey,
      participant: extra.participant ?? { kind: 'human' },
      ...(extra.transport ? { transport: extra.transport } : {}),
    })
    defer(() => c.dispose())
    return c
  }
  return { ...env, token, as }
}

const names = (list: readonly PresenceEntry[]) => list.map((e) => e.participant.name ?? e.participant.id).sort()

describe('presence', () => {
  it('shows who joins and leaves, self included and marked, in a stable order', async () => {
    const w = await world()
    const alice = w.as(await w.token('alice', ['org:a']))
    expect(alice.presence.list.get()).toEqual([])
    await alice.ready()
    const selfOnly = await untilPresence(alice, (l) => l.length === 1 && l)
    expect(selfOnly[0]).toMatchObject({ self: true, participant: { id: 'alice', kind: 'human', name: 'alice' }, intent: null })

    const bob = w.as(await w.token('bob', ['org:a'], 'agent'))
    await bob.ready()
    const both = await untilPresence(alice, (l) => l.length === 2 && l)
    expect(both.map((e) => e.self)).toEqual([true, false])
    expect(both[1]!.participant).toEqual({ id: 'bob', kind: 'agent', name: 'bob' })
    expect(
      alice.presence
        .others()
        .get()
        .map((e) => e.participant.id),
    ).toEqual(['bob'])
    expect(alice.presence.others()).toBe(alice.presence.others())

    await bob.dispose()
    await untilPresence(alice, (l) => l.length === 1)
  })

  it('clears an entry at once when its socket dies without a close', async () => {
    const w = await world()
    const proxy = await killableProxy(w.server.port)
    const watcher = w.as(w.server.secretKey)
    const doomed = w.as(await w.token('doomed', ['org:a']), { baseURL: proxy.url })
    await Promise.all([watcher.ready(), doomed.ready()])
    await untilPresence(watcher, (l) => l.some((e) => e.participant.id === 'doomed'))
    const cut = doomed.status.get()
    expect(cut).toBe('connected')
    proxy.kill()
    await untilPresence(watcher, (l) => !l.some((e) => e.participant.id === 'doomed'))
  })

  it('clears the entries of a revoked session: its socket and its HTTP participant', async () => {
    const w = await world()
    const minted = (await w.http('POST', '/v1/sessions', { userId: 'gone', groups: ['org:a'], participant: { kind: 'human', name: 'gone' } })).body
    const watcher = w.as(w.server.secretKey)
    const socket = w.as(minted.token)
    await Promise.all([watcher.ready(), socket.ready()])
    const put = await w.http('PUT', '/v1/presence', { intent: null }, { authorization: `Bearer ${minted.token}` })
    expect(put.status).toBe(200)
    await untilPresence(watcher, (l) => l.filter((e) => e.participant.id === 'gone').length === 2)
    expect((await w.http('DELETE', `/v1/sessions/${minted.id}`)).status).toBe(200)
    await untilPresence(watcher, (l) => !l.some((e) => e.participant.id === 'gone'))
  })

  it('scopes entries by sync groups and hides intents on rows the viewer cannot see', async () => {
    const w = await world()
    const red = w.as(await w.token('red', ['org:a', 'team:red']))
    const plain = w.as(await w.token('plain', ['org:a']))
    const outsider = w.as(await w.token('outsider', ['org:b']))
    const admin = w.as(w.server.secretKey, { participant: { kind: 'agent', name: 'admin' } })
    await Promise.all([red, plain, outsider, admin].map((c) => c.ready()))
    const secretRow = await red.docs.create({ data: { title: 'plan', team: 'red' } })

    red.presence.setIntent({ model: 'docs', id: secretRow.id, action: 'editing' })
    // The secret key sees everyone and every intent.
    await untilPresence(admin, (l) => l.find((e) => e.participant.id === 'red')?.intent?.action === 'editing')
    // Same org, but not in team:red: sees red, not the row red looks at.
    const seenByPlain = await untilPresence(plain, (l) => l.find((e) => e.participant.id === 'red'))
    await untilPresence(admin, (l) => l.length === 4)
    expect(seenByPlain.intent).toBeNull()
    expect(JSON.stringify(plain.presence.list.get())).not.toContain(secretRow.id)
    // Own intent is always shown to oneself.
    expect(red.presence.list.get().find((e) => e.self)?.intent).toEqual({ model: 'docs', id: secretRow.id, action: 'editing' })
    // Another org: sees itself and the secret-key participant, nobody of org:a.
    await untilPresence(outsider, (l) => l.length === 2)
    expect(names(outsider.presence.list.get())).toEqual(['admin', 'outsider'])
    expect(plain.presence.others({ model: 'docs', id: secretRow.id }).get()).toEqual([])
    expect(
      admin.presence
        .others({ model: 'docs', id: secretRow.id })
        .get()
        .map((e) => e.participant.id),
    ).toEqual(['red'])
  })

  it('shows an intent on a row created just before it to everyone who can see the row', async () => {
    const w = await world()
    const a = w.as(await w.token('a', ['org:a']))
    const b = w.as(await w.token('b', ['org:a']))
    await Promise.all([a.ready(), b.ready()])
    const row = await a.docs.create({ data: { title: 'fresh' }, wait: 'queued' })
    a.presence.setIntent({ model: 'docs', id: row.id, field: 'title' })
    const seen = await untilPresence(b, (l) => l.find((e) => e.participant.id === 'a' && e.intent))
    expect(seen.intent).toEqual({ model: 'docs', id: row.id, field: 'title' })
    a.presence.clearIntent()
    await untilPresence(b, (l) => l.find((e) => e.participant.id === 'a' && e.intent === null))
    // Ephemeral: the log holds the create and nothing of the intents.
    const log = await w.http('GET', '/v1/changes?after=0')
    expect(log.body.data).toHaveLength(1)
    expect(JSON.stringify(log.body)).not.toContain('presence')
  })

  it('long-poll participants and WebSocket ones see each other', async () => {
    const w = await world()
    const poller = w.as(await w.token('poller', ['org:a']), { transport: 'http' })
    const socket = w.as(await w.token('socket', ['org:a']))
    await Promise.all([poller.ready(), socket.ready()])
    const row = await socket.docs.create({ data: { title: 'shared' } })
    await untilPresence(poller, (l) => l.some((e) => e.participant.id === 'socket') && l.some((e) => e.self))
    await untilPresence(socket, (l) => l.some((e) => e.participant.id === 'poller'))

    poller.presence.setIntent({ model: 'docs', id: row.id, action: 'reading' })
    await untilPresence(socket, (l) => l.find((e) => e.participant.id === 'poller')?.intent?.action === 'reading')
    socket.presence.setIntent({ model: 'docs', id: row.id, action: 'writing' })
    await untilPresence(poller, (l) => l.find((e) => e.participant.id === 'socket')?.intent?.action === 'writing')

    await poller.dispose()
    await untilPresence(socket, (l) => !l.some((e) => e.participant.id === 'poller'))
  })

  it('refuses bad intents with typed errors, on the client and over HTTP', async () => {
    const w = await world()
    const c = w.as(w.server.secretKey)
    await c.ready()
    expect(() => c.presence.setIntent({ model: 'nope', id: 'x' })).toThrow(TandemValidationError)
    try {
      c.presence.setIntent({ model: 'nope', id: 'x' })
    } catch (error) {
      expect((error as TandemValidationError).code).toBe('unknown_model')
    }
    expect(() => c.presence.setIntent({ model: 'docs', id: 'x', action: 'a'.repeat(201) })).toThrow(/action/)
    expect(() => c.presence.setIntent({ model: 'docs', id: 'x', field: 'nope' })).toThrow(TandemValidationError)

    const longAction = await w.http('PUT', '/v1/presence', { intent: { model: 'docs', id: 'x', action: 'a'.repeat(201) } })
    expect(longAction.status).toBe(400)
    expect(longAction.body.error).toMatchObject({ type: 'TandemValidationError', code: 'invalid_request' })
    const unknownModel = await w.http('PUT', '/v1/presence', { intent: { model: 'nope', id: 'x' } })
    expect(unknownModel.body.error).toMatchObject({ type: 'TandemValidationError', code: 'unknown_model' })
    // A refused first PUT leaves nothing behind.
    expect((await w.http('GET', '/v1/presence')).body.data).toHaveLength(1)
  })

  it('rate-limits intents per connection with rate_limited', async () => {
    const env = await setup({ schema, presence: { intentsPerSecond: 1 } })
    const put = (connectionId?: string, n = 0) =>
      env.http('PUT', '/v1/presence', { ...(connectionId ? { connectionId } : {}), intent: { model: 'docs', id: `row${n}` } })
    const first = await put()
    expect(first.status).toBe(200)
    const id = first.body.connectionId as string
    let refused
    for (let n = 1; n < 10 && !refused; n++) {
      const res = await put(id, n)
      if (res.status === 429) refused = res
    }
    expect(refused?.body.error).toMatchObject({ type: 'TandemRateLimitError', code: 'rate_limited' })
  })

  it('keeps the intent across a reconnect', async () => {
    const w = await world()
    const proxy = await killableProxy(w.server.port)
    const watcher = w.as(w.server.secretKey)
    const mover = w.as(await w.token('mover', ['org:a']), { baseURL: proxy.url })
    await Promise.all([watcher.ready(), mover.ready()])
    const row = await mover.docs.create({ data: { title: 'x' } })
    mover.presence.setIntent({ model: 'docs', id: row.id, action: 'typing' })
    const before = await untilPresence(watcher, (l) => l.find((e) => e.participant.id === 'mover' && e.intent))
    proxy.kill()
    const after = await untilPresence(watcher, (l) => l.find((e) => e.participant.id === 'mover' && e.connectionId !== before.connectionId && e.intent))
    expect(after.intent).toEqual({ model: 'docs', id: row.id, action: 'typing' })
  })

  it('HTTP: PUT registers with a TTL, GET long-polls on the version, DELETE leaves', async () => {
    const w = await world()
    const put = await w.http('PUT', '/v1/presence', { intent: null })
    expect(put.body).toMatchObject({ object: 'presence_entry', ttlMs: 30_000, entry: { intent: null } })
    const id = put.body.connectionId as string
    const list = await w.http('GET', `/v1/presence?connectionId=${id}`)
    expect(list.body).toMatchObject({ object: 'presence', self: id })
    const parked = w.http('GET', `/v1/presence?after=${list.body.version}&wait=20`)
    const watcher = w.as(w.server.secretKey)
    await watcher.ready()
    expect((await parked).body.version).toBeGreaterThan(list.body.version)
    expect((await w.http('DELETE', `/v1/presence/${id}`)).body).toEqual({ object: 'presence_entry', connectionId: id, deleted: true })
    expect((await w.http('GET', `/v1/presence?connectionId=${id}`)).status).toBe(404)
    const other = await w.token('other', ['org:a'])
    const someoneElses = await w.http('PUT', '/v1/presence', { intent: null })
    const refused = await w.http('DELETE', `/v1/presence/${someoneElses.body.connectionId}`, undefined, { authorization: `Bearer ${other}` })
    expect(refused.status).toBe(404)
  })

  it('HTTP: one credential keeps at most 20 participants; a new one ends the oldest', async () => {
    const w = await world()
    const ids: string[] = []
    for (let i = 0; i < 21; i++) ids.push((await w.http('PUT', '/v1/presence', { intent: null })).body.connectionId)
    const listed = (await w.http('GET', '/v1/presence')).body.data.map((e: PresenceEntry) => e.connectionId)
    expect(listed).toHaveLength(20)
    expect(listed).not.toContain(ids[0])
    expect(listed).toContain(ids[20])
  })

  it('HTTP: an entry is gone after its TTL without a refresh', async () => {
    const env = await setup({ schema, presence: { httpTtlMs: 200 } })
    const put = await env.http('PUT', '/v1/presence', { intent: null })
    const id = put.body.connectionId as string
    const watcher = Tandem({ schema, baseURL: env.server.url, apiKey: env.server.secretKey })
    defer(() => watcher.dispose())
    await watcher.ready()
    await untilPresence(watcher as Client, (l) => l.length === 1 && l[0]!.self)
    expect((await env.http('GET', `/v1/presence?connectionId=${id}`)).status).toBe(404)
  })
})
