/** The delivery lease is renewed while an attempt runs (so it can be short), and a batch not confirmed goes again unchanged. */
import { expect, it } from 'vitest'
import { start } from './harness.ts'

it('an attempt longer than the lease is not cut off: the lease is renewed while it runs', async () => {
  const { commit, endpoint, attempts } = await start({ leaseMs: 300, timeoutMs: 5000 })
  const { receiver, endpoint: e } = await endpoint()
  // Answer after three leases' worth of time: without renewals the cut-off would abort it and send again.
  receiver.behaviour = (_req, res) => void setTimeout(() => res.writeHead(204).end(), 900)
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'slow' } })
  await attempts.until(() => attempts.of(e.id).length === 1)
  expect(attempts.of(e.id)[0]).toMatchObject({ ok: true, attempt: 1 })
  expect(receiver.requests).toHaveLength(1)
})

it('a retry sends exactly the batch that failed (same webhook-id), even when newer entries arrived meanwhile', async () => {
  const { commit, endpoint, attempts } = await start({ retrySchedule: [300, 300] })
  const { receiver, endpoint: e } = await endpoint()
  receiver.behaviour = 'fail'
  const first = await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await attempts.until(() => attempts.of(e.id).length === 1)
  const second = await commit({ op: 'create', model: 'tasks', id: 't2', data: { title: 'two' } })
  receiver.behaviour = 'ok'
  await receiver.until(() => receiver.events.length === 2)
  const ids = receiver.requests.map((r) => r.headers['webhook-id'])
  expect(ids).toEqual([`msg_${first.syncId}_${first.syncId}`, `msg_${first.syncId}_${first.syncId}`, `msg_${second.syncId}_${second.syncId}`])
  expect(receiver.events.map((x) => x.syncId)).toEqual([first.syncId, second.syncId])
})
