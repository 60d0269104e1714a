import { expect, it } from 'vitest'
import { start } from './harness.ts'

it('a receiver that never answers holds up neither commits nor another endpoint', async () => {
  // The hung attempt outlives the test: only the per-attempt timeout would end it.
  const { commit, endpoint, attempts } = await start({ timeoutMs: 120_000, leaseMs: 180_000, maxBatchEvents: 10 })
  const hung = await endpoint()
  const healthy = await endpoint()
  hung.receiver.behaviour = 'hang'

  const syncIds: number[] = []
  for (let i = 0; i < 200; i++) syncIds.push((await commit({ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } })).syncId)
  await healthy.receiver.until(() => healthy.receiver.events.length === 200)

  expect(healthy.receiver.events.map((e) => e.syncId)).toEqual(syncIds)
  // A is still waiting on its first request: one request in flight, no attempt finished, nothing delivered.
  expect(hung.receiver.requests).toHaveLength(1)
  expect(attempts.of(hung.endpoint.id)).toHaveLength(0)
  expect(attempts.of(healthy.endpoint.id).length).toBeGreaterThanOrEqual(20)
})

it('a slow receiver times out per attempt and is retried, while the other endpoint keeps up', async () => {
  const { commit, endpoint, attempts } = await start({ timeoutMs: 200, retrySchedule: [0, 10, 10, 10, 10, 10, 10, 10] })
  const slow = await endpoint()
  const fast = await endpoint()
  slow.receiver.behaviour = 'hang'
  for (let i = 0; i < 20; i++) await commit({ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } })
  await fast.receiver.until(() => fast.receiver.events.length === 20)
  await attempts.until(() => attempts.of(slow.endpoint.id).length >= 2)
  expect(attempts.of(slow.endpoint.id)[0]).toMatchObject({ ok: false, status: null, error: 'timed out after 200 ms' })
  slow.receiver.behaviour = 'ok'
  await slow.receiver.until(() => slow.receiver.events.length === 20)
  expect(slow.receiver.events.map((e) => e.syncId)).toEqual(fast.receiver.events.map((e) => e.syncId))
})
