/** The client's own claims as a store (`tandem.ownClaims`, `tandem.claimView`): they turn lost when the server ends them. */
import { describe, expect, it } from 'vitest'
import Tandem, { type OwnClaim, type Transport, type TransportConnection, websocketTransport } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

/** Resolve once `store`'s value passes `test` (checked now, then on every change). */
function untilStore<T>(store: { get(): T; listen(fn: (v: T) => void): () => void }, test: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  if (test(store.get())) return Promise.resolve(store.get())
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => (off(), reject(new Error(`store did not reach the state within ${timeoutMs} ms: ${JSON.stringify(store.get())}`))),
      timeoutMs,
    )
    const off = store.listen((v) => {
      if (!test(v)) return
      clearTimeout(timer)
      off()
      resolve(v)
    })
  })
}

/** A WebSocket transport that can hold claim heartbeats back, drop the socket, and hold reconnects. */
function controllable(): { transport: Transport; holdBeats(): void; releaseBeats(): void; drop(): void; holdConnects(): void; releaseConnects(): void } {
  const inner = websocketTransport()
  let beatsHeld = false
  const heldBeats: Array<() => void> = []
  let connectsHeld = false
  const heldConnects: Array<() => void> = []
  let current: { close(): void } | undefined
  return {
    transport: {
      kind: 'controllable',
      connect(url, handlers) {
        let conn: TransportConnection | undefined
        let closed = false
        const open = () => {
          if (closed) return
          conn = inner.connect(url, handlers)
          current = conn
        }
        if (connectsHeld) heldConnects.push(open)
        else open()
        return {
          send(frame: Parameters<TransportConnection['send']>[0]) {
            if (beatsHeld && frame.type === 'rpc' && frame.method === 'claim_heartbeat') heldBeats.push(() => conn?.send(frame))
            else conn?.send(frame)
          },
          close() {
            closed = true
            conn?.close()
          },
        }
      },
    },
    holdBeats: () => void (beatsHeld = true),
    releaseBeats() {
      beatsHeld = false
      for (const send of heldBeats.splice(0)) send()
    },
    drop: () => current?.close(),
    holdConnects: () => void (connectsHeld = true),
    releaseConnects() {
      connectsHeld = false
      for (const open of heldConnects.splice(0)) open()
    },
  }
}

const statuses = (own: readonly OwnClaim[]) => own.map((o) => `${o.target.id}:${o.status}`)

describe('own claims', () => {
  it('a held claim turns lost when the server expires it (the heartbeat was held back)', async () => {
    const { server } = await setup()
    const ctl = controllable()
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport: ctl.transport })
    defer(() => c.dispose())
    await c.ready()
    await c.tasks.create({ id: 'exp', data: { title: 'x' } })
    const view = c.claimView({ model: 'tasks', id: 'exp' })
    const seen: string[] = []
    const off = view.subscribe((v) => seen.push(v.mine ? v.mine.status : 'none'))

    ctl.holdBeats()
    const claim = await c.tasks.claim({ id: 'exp', action: 'slow', ttl: 300 })
    expect(statuses(c.ownClaims.get())).toEqual(['exp:held'])
    expect(view.get()).toMatchObject({ heldByMe: true, mine: { id: claim.id, status: 'held', handle: claim } })
    // The server's broadcast shows the claim, then (no heartbeat reached it) the lease lapsing.
    await until(c, (t) => t.tasks.claim.state({ id: 'exp' })?.id === claim.id)
    await until(c, (t) => t.tasks.claim.state({ id: 'exp' }) === null)
    ctl.releaseBeats()

    const own = await untilStore(c.ownClaims, (v) => v[0]?.status === 'lost')
    expect(own).toHaveLength(1)
    expect(claim.lost).toBe(true)
    expect(view.get()).toMatchObject({ holder: null, heldByMe: false, mine: { status: 'lost', handle: claim } })
    await expect(c.tasks.update({ id: 'exp', data: { title: 'late' } })).rejects.toMatchObject({ code: 'claim_lost' })
    await view.release()
    expect(c.ownClaims.get()).toEqual([])
    off()
    expect(seen.filter((s, i) => s !== seen[i - 1])).toEqual(['none', 'waiting', 'held', 'lost', 'none'])
  })

  it('turns lost as soon as the server revokes it, without waiting for the next heartbeat', async () => {
    const { client, http } = await setup() // default 30 s lease: the next heartbeat is 10 s away
    const c = client()
    await c.ready()
    await c.tasks.create({ id: 'rev', data: { title: 'x' } })
    const claim = await c.tasks.claim({ id: 'rev', field: 'title' })
    expect((await http('DELETE', `/v1/claims/${claim.id}`)).status).toBe(200) // an admin ends it
    await untilStore(c.ownClaims, (v) => v[0]?.status === 'lost', 5000)
    expect(claim.lost).toBe(true)
    await claim.release()
    expect(c.ownClaims.get()).toEqual([])
  })

  it('turns lost when the disconnect grace runs out before the client is back', async () => {
    const { server, client } = await setup({ claims: { disconnectGraceMs: 200 } })
    const ctl = controllable()
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport: ctl.transport })
    defer(() => c.dispose())
    const watcher = client()
    await Promise.all([c.ready(), watcher.ready()])
    await c.tasks.create({ id: 'gone', data: { title: 'x' } })
    const claim = await c.tasks.claim({ id: 'gone' })
    await until(watcher, (t) => t.tasks.claim.state({ id: 'gone' })?.id === claim.id)
    ctl.holdConnects()
    ctl.drop()
    await until(watcher, (t) => t.tasks.claim.state({ id: 'gone' }) === null) // grace over: the server let it go
    expect(c.ownClaims.get()[0]?.status).toBe('held') // offline, the client cannot know yet
    ctl.releaseConnects()
    await untilStore(c.ownClaims, (v) => v[0]?.status === 'lost')
    expect(claim.lost).toBe(true)
  })

  it('a claim waiting in line shows its place, then becomes held; the view has holder, queue and helpers', async () => {
    const { client } = await setup()
    const a = client({ participant: { kind: 'agent', name: 'first' } })
    const b = client({ participant: { kind: 'human', name: 'second' } })
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 'line', data: { title: 'x' } })
    const held = await a.tasks.claim({ id: 'line', action: 'drafting' })
    await until(b, (t) => t.tasks.claim.state({ id: 'line' }))

    const view = b.claimView({ model: 'tasks', id: 'line' })
    expect(view.get()).toMatchObject({ holder: { id: held.id, action: 'drafting' }, queue: [], mine: null, heldByMe: false })
    const granted = view.claim({ action: 'reviewing' })
    const waiting = await untilStore(view, (v) => v.mine?.position === 1)
    expect(waiting.mine).toMatchObject({ id: null, status: 'waiting', action: 'reviewing', handle: null })
    expect(waiting.queue).toMatchObject([{ action: 'reviewing', status: 'queued' }])
    expect(b.ownClaims.get()).toEqual([waiting.mine])

    await held.release()
    const handle = await granted
    expect(view.get()).toMatchObject({ heldByMe: true, mine: { id: handle.id, status: 'held', position: 0, handle } })
    await until(b, (t) => t.tasks.claim.state({ id: 'line' })?.id === handle.id)
    expect(view.get().holder?.id).toBe(handle.id)
    await view.release()
    expect(view.get()).toMatchObject({ mine: null, heldByMe: false })
    expect(handle.lost).toBe(false)
  })

  it('claimView checks the model and field; a refused claim leaves no entry', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])
    expect(() => a.claimView({ model: 'nope' as 'tasks', id: 'x' })).toThrow(expect.objectContaining({ code: 'unknown_model' }))
    expect(() => a.claimView({ model: 'tasks', id: 'x', field: 'colour' as 'title' })).toThrow(expect.objectContaining({ code: 'unknown_field' }))
    await a.tasks.create({ id: 'busy', data: { title: 'x' } })
    await a.tasks.claim({ id: 'busy' })
    await until(b, (t) => t.tasks.get('busy'))
    await expect(b.claimView({ model: 'tasks', id: 'busy' }).claim({ wait: false })).rejects.toMatchObject({ code: 'entity_claimed' })
    expect(b.ownClaims.get()).toEqual([])
  })
})
