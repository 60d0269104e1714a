import { expect, it } from 'vitest'
import Tandem, { type Transport, websocketTransport } from '@tandem/core'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

/** A WebSocket transport that counts claim heartbeat answers, so tests can wait for beats rather than time. */
function counting(): { transport: Transport; beats(n: number): Promise<void> } {
  const inner = websocketTransport()
  let rpcIds = new Set<number>()
  let count = 0
  const waiters: Array<() => void> = []
  return {
    transport: {
      kind: 'counting',
      connect(url, h) {
        const conn = inner.connect(url, {
          ...h,
          onFrame: (f) => {
            if (f.type === 'result' && rpcIds.has(f.id)) {
              count++
              waiters.splice(0).forEach((w) => w())
            }
            h.onFrame(f)
          },
        })
        return {
          send(frame) {
            if (frame.type === 'rpc' && frame.method === 'claim_heartbeat') rpcIds.add(frame.id)
            conn.send(frame)
          },
          close: () => conn.close(),
        }
      },
    },
    async beats(n) {
      const target = count + n
      while (count < target) await new Promise<void>((r) => waiters.push(r))
      // Let the client finish handling that answer (its promise callbacks run after the frame).
      await new Promise((r) => setImmediate(r))
    },
  }
}

it('a claim without ttl is renewed at the server’s lease length, not an assumed 30 s', async () => {
  const { server } = await setup({ claims: { defaultTtlMs: 600 } })
  const { transport, beats } = counting()
  const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport })
  defer(() => c.dispose())
  await c.ready()
  await c.tasks.create({ id: 'long', data: { title: 'x' } })
  const claim = await c.tasks.claim({ id: 'long', action: 'slow work' })
  await beats(4) // ≥ 4 × 200 ms: longer than the 600 ms lease
  expect(claim.lost).toBe(false)
  await c.tasks.update({ id: 'long', data: { title: 'still mine' } })
  await claim.release()
})

it('a lost claim keeps fencing: writes fail with claim_lost until the app releases it', async () => {
  const { server, http } = await setup({ claims: { defaultTtlMs: 600 } })
  const { transport, beats } = counting()
  const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport })
  defer(() => c.dispose())
  await c.ready()
  await c.tasks.create({ id: 'taken', data: { title: 'x' } })
  const claim = await c.tasks.claim({ id: 'taken' })
  expect((await http('DELETE', `/v1/claims/${claim.id}`)).status).toBe(200) // an admin ends it
  await beats(1)
  expect(claim.lost).toBe(true)
  await expect(c.tasks.update({ id: 'taken', data: { title: 'after loss' } })).rejects.toMatchObject({ code: 'claim_lost' })
  await claim.release()
  await c.tasks.update({ id: 'taken', data: { title: 'plain write after release' } })
})

it('claim log entries carry onBehalfOf; idempotency keys survive a token refresh', async () => {
  const { http } = await setup()
  const mint = async () =>
    (await http('POST', '/v1/sessions', { userId: 'agent-9', groups: ['org:default'], participant: { kind: 'agent', name: 'Nine' }, onBehalfOf: 'user:7' }))
      .body.token as string
  const [t1, t2] = [await mint(), await mint()]
  const as = (t: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http(method, path, body, { authorization: `Bearer ${t}`, ...headers })
  await as(t1, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'obo', data: { title: 'x' } }] })
  const claim = await as(t1, 'POST', '/v1/claims', { model: 'tasks', id: 'obo' })
  await as(t1, 'DELETE', `/v1/claims/${claim.body.id}`)
  const log = (await http('GET', '/v1/changes?after=0')).body.data as Array<{ claim?: { event: string }; actor: { onBehalfOf?: string } }>
  expect(log.filter((e) => e.claim).map((e) => [e.claim!.event, e.actor.onBehalfOf])).toEqual([
    ['granted', 'user:7'],
    ['released', 'user:7'],
  ])

  // The answer to the first attempt was lost; the replay uses a fresh token of the same user.
  const body = { operations: [{ op: 'update', model: 'tasks', id: 'obo', data: { points: 1 } }] }
  const first = await as(t1, 'POST', '/v1/commits', body, { 'idempotency-key': 'once' })
  const replay = await as(t2, 'POST', '/v1/commits', body, { 'idempotency-key': 'once' })
  expect(replay.body).toEqual(first.body)
  const updates = (await http('GET', '/v1/changes?after=0')).body.data.filter((e: { changes: Array<{ op: string }> }) =>
    e.changes.some((c) => c.op === 'update'),
  )
  expect(updates).toHaveLength(1)
})

it('claim routes have the body limit too', async () => {
  const { http } = await setup({ limits: { maxBodyBytes: 1024 } })
  const res = await http('POST', '/v1/claims/reorder', { model: 'tasks', id: 'x', order: Array.from({ length: 200 }, (_, i) => `clm_${i}`) })
  expect(res.status).toBe(413)
  expect(res.body.error).toMatchObject({ code: 'payload_too_large' })
})

it('release() of a claim the server already ended resolves, and marks the handle lost', async () => {
  const { client, http } = await setup()
  const c = client()
  await c.ready()
  await c.tasks.create({ id: 'ended', data: { title: 'x' } })
  const claim = await c.tasks.claim({ id: 'ended' })
  expect((await http('DELETE', `/v1/claims/${claim.id}`)).status).toBe(200) // an admin ends it before the client's next heartbeat
  await claim.release()
  expect(claim.lost).toBe(true)
  await c.tasks.update({ id: 'ended', data: { title: 'plain write after release' } })
})
