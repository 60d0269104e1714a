import { expect, it } from 'vitest'
import { start } from './harness.ts'

it('delivers signed batches of spec §8 events in log order, with stable ids', async () => {
  const { commit, endpoint } = await start()
  const { receiver } = await endpoint()
  const created = await commit(
    { op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } },
    { op: 'create', model: 'notes', id: 'n1', data: { text: 'x' } },
  )
  const updated = await commit({ op: 'update', model: 'tasks', id: 't1', data: { status: 'done' } })
  const deleted = await commit({ op: 'delete', model: 'tasks', id: 't1' })
  await receiver.until(() => receiver.events.length === 4)

  expect(receiver.requests.every((r) => r.verified)).toBe(true)
  expect(receiver.events.map((e) => [e.id, e.type, e.syncId])).toEqual([
    [`evt_${created.syncId}_0`, 'tasks.created', created.syncId],
    [`evt_${created.syncId}_1`, 'notes.created', created.syncId],
    [`evt_${updated.syncId}_0`, 'tasks.updated', updated.syncId],
    [`evt_${deleted.syncId}_0`, 'tasks.deleted', deleted.syncId],
  ])
  const [c, , u, d] = receiver.events
  expect(Object.keys(c!).sort()).toEqual(['actor', 'createdAt', 'data', 'id', 'model', 'objectId', 'previous', 'stale', 'syncId', 'type'])
  expect(c).toMatchObject({ model: 'tasks', objectId: 't1', data: { id: 't1', title: 'one', status: 'todo' }, previous: null, stale: false })
  expect(u).toMatchObject({ data: { status: 'done' }, previous: { status: 'todo' } })
  expect(d).toMatchObject({ data: null, previous: { id: 't1', status: 'done' } })
  expect(c!.actor).toMatchObject({ kind: 'agent' })
  // One message id per batch of log entries; the timestamp is unix seconds.
  const first = receiver.requests[0]!
  expect(first.headers['webhook-id']).toBe(`msg_${created.syncId}_${first.events.at(-1)!.syncId}`)
  expect(first.headers['webhook-timestamp']).toMatch(/^\d+$/)
})

it('enabledEvents filters by type; what it filters out still moves the cursor', async () => {
  const { commit, endpoint, http, attempts } = await start()
  const { receiver, endpoint: e } = await endpoint({ enabledEvents: ['tasks.created', 'notes.*'] })
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await commit({ op: 'update', model: 'tasks', id: 't1', data: { title: 'two' } })
  await commit({ op: 'create', model: 'notes', id: 'n1', data: { text: 'x' } })
  await commit({ op: 'update', model: 'tasks', id: 't1', data: { title: 'three' } })
  const last = await commit({ op: 'update', model: 'notes', id: 'n1', data: { text: 'y' } })
  await attempts.until(() => attempts.of(e.id).some((a) => a.ok && a.lastSyncId === last.syncId))
  expect(receiver.events.map((x) => x.type)).toEqual(['tasks.created', 'notes.created', 'notes.updated'])
  expect((await http('GET', `/v1/webhook_endpoints/${e.id}`)).body.cursor).toBe(last.syncId)
})

it('claim lifecycle entries become <model>.claim.* events, and a flagged stale write is marked stale', async () => {
  const { commit, endpoint, http } = await start()
  const { receiver } = await endpoint()
  const base = await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await commit({ op: 'update', model: 'tasks', id: 't1', data: { title: 'two' } })
  const stale = await commit({ op: 'update', model: 'tasks', id: 't1', data: { title: 'three' }, readAt: base.syncId, onStale: 'flag' })
  const claim = await http('POST', '/v1/claims', { model: 'tasks', id: 't1', action: 'summarising' })
  expect(claim.status).toBe(200)
  expect((await http('DELETE', `/v1/claims/${claim.body.id}`)).status).toBe(200)
  await receiver.until(() => receiver.events.some((x) => x.type === 'tasks.claim.released'))
  expect(receiver.events.map((x) => [x.type, x.stale])).toEqual([
    ['tasks.created', false],
    ['tasks.updated', false],
    ['tasks.updated', true],
    ['tasks.claim.granted', false],
    ['tasks.claim.released', false],
  ])
  expect(receiver.events[2]!.syncId).toBe(stale.syncId)
  const granted = receiver.events[3]!
  expect(granted).toMatchObject({ model: 'tasks', objectId: 't1', previous: null, data: { action: 'summarising', target: { model: 'tasks', id: 't1' } } })
})

it('queued, canceled and expired claims are events too', async () => {
  const { commit, endpoint, http } = await start()
  const { receiver } = await endpoint({ enabledEvents: ['tasks.claim.*'] })
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  // A holds with a short lease and never renews it; B waits in line, gives up, and the lease runs out.
  const held = await http('POST', '/v1/claims', { model: 'tasks', id: 't1', ttl: 1000 })
  expect(held.status).toBe(200)
  const waiting = await http('POST', '/v1/claims', { model: 'tasks', id: 't1', timeoutMs: 50 })
  expect(waiting.body.error.code).toBe('grant_timeout')
  await receiver.until(() => receiver.events.some((e) => e.type === 'tasks.claim.expired'))
  expect(receiver.events.map((e) => e.type)).toEqual(['tasks.claim.granted', 'tasks.claim.queued', 'tasks.claim.canceled', 'tasks.claim.expired'])
  expect(receiver.events.map((e) => (e.data as { status: string }).status)).toEqual(['active', 'queued', 'canceled', 'expired'])
})
