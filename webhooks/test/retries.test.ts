import { expect, it } from 'vitest'
import { defer, start } from './harness.ts'
import { Receiver } from './receiver.ts'

it('runs the whole retry schedule, disables the endpoint, and resumes from its cursor when re-enabled', async () => {
  const schedule = [0, 10, 20, 30, 10, 10, 10, 10]
  const { http, commit, endpoint, attempts } = await start({ retrySchedule: schedule })
  const { receiver, endpoint: e } = await endpoint()
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await receiver.until(() => receiver.events.length === 1)
  receiver.behaviour = 'fail'
  const failing = await commit({ op: 'update', model: 'tasks', id: 't1', data: { title: 'two' } })

  // 1 attempt + one retry per schedule step, then disabled.
  await attempts.until(() => attempts.of(e.id).filter((a) => !a.ok).length === schedule.length + 1)
  const failed = attempts.of(e.id).filter((a) => !a.ok)
  expect(failed.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
  expect(new Set(failed.map((a) => a.messageId))).toEqual(new Set([`msg_${failing.syncId}_${failing.syncId}`]))
  // Each retry waited at least its step of the schedule.
  for (let i = 1; i < failed.length; i++)
    expect(Date.parse(failed[i]!.attemptedAt) - Date.parse(failed[i - 1]!.attemptedAt)).toBeGreaterThanOrEqual(schedule[i - 1]! - 1)
  expect(failed.every((a) => a.status === 500 && a.error!.includes('failing on purpose'))).toBe(true)
  const disabled = (await http('GET', `/v1/webhook_endpoints/${e.id}`)).body
  expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'failing', cursor: failing.syncId - 1, nextAttemptAt: null })

  // Commits while disabled wait in the log; nothing is attempted.
  const whileDisabled = await commit({ op: 'create', model: 'notes', id: 'n1', data: { text: 'queued' } })
  receiver.behaviour = 'ok'
  const enabled = await http('PATCH', `/v1/webhook_endpoints/${e.id}`, { status: 'enabled' })
  expect(enabled.body).toMatchObject({ status: 'enabled', failures: 0, cursor: failing.syncId - 1 })
  await receiver.until(() => receiver.events.length === 3)
  expect(receiver.events.map((x) => [x.type, x.syncId])).toEqual([
    ['tasks.created', failing.syncId - 1],
    ['tasks.updated', failing.syncId],
    ['notes.created', whileDisabled.syncId],
  ])
  // The event kept its id through every failed attempt.
  const failedBodies = receiver.requests.filter((r) => r.events.length === 0).map((r) => JSON.parse(r.body).data.map((x: { id: string }) => x.id))
  expect(failedBodies).toHaveLength(9)
  expect(failedBodies.every((ids) => ids.join() === `evt_${failing.syncId}_0`)).toBe(true)
  await attempts.until(() => attempts.of(e.id).at(-1)!.ok)
  const okAttempt = attempts.of(e.id).at(-1)!
  expect(okAttempt).toMatchObject({ ok: true, attempt: 1, firstSyncId: failing.syncId, lastSyncId: whileDisabled.syncId })
})

it('a failure in the middle: retried until the receiver answers, then the failure count starts over', async () => {
  const { http, commit, endpoint, attempts } = await start({ retrySchedule: [0, 10, 10, 10, 10, 10, 10, 10] })
  const { receiver, endpoint: e } = await endpoint()
  receiver.behaviour = 'fail'
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await attempts.until(() => attempts.of(e.id).length === 3)
  receiver.behaviour = 'ok'
  await receiver.until(() => receiver.events.length === 1)
  await attempts.until(() => attempts.of(e.id).some((a) => a.ok))
  expect((await http('GET', `/v1/webhook_endpoints/${e.id}`)).body).toMatchObject({ status: 'enabled', failures: 0, nextAttemptAt: null, cursor: 1 })
})

it('a new URL is tried at once, without waiting out the retry the old one was scheduled for', async () => {
  const { http, commit, endpoint, attempts } = await start({ retrySchedule: [0, 3_600_000] })
  const broken = await endpoint()
  broken.receiver.behaviour = 'fail'
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await attempts.until(() => attempts.of(broken.endpoint.id).length === 2) // the next try is an hour away
  const fixed = await new Receiver(broken.receiver.secrets).up()
  defer(() => fixed.down())
  const moved = await http('PATCH', `/v1/webhook_endpoints/${broken.endpoint.id}`, { url: fixed.url })
  expect(moved.body).toMatchObject({ failures: 0, nextAttemptAt: null })
  await fixed.until(() => fixed.events.length === 1)
  expect(fixed.events[0]!.id).toBe('evt_1_0')
  expect(fixed.requests[0]!.verified).toBe(true)
})
