import { expect, it } from 'vitest'
import { start } from './harness.ts'

it('1,000 changes reach a receiver that was down for part of the run: every event, in order, none missing', async () => {
  const { http, commit, endpoint, attempts } = await start({ retrySchedule: [0, 50, 100, 100, 100, 100, 100, 100], maxBatchEvents: 50 })
  const { receiver, endpoint: e } = await endpoint()

  // 250 commits of 4 changes: creates, updates and deletes, written while deliveries run.
  const writing = (async () => {
    for (let i = 0; i < 250; i++) {
      await commit(
        { op: 'create', model: 'tasks', id: `t${i}`, data: { title: `task ${i}` } },
        { op: 'create', model: 'notes', id: `n${i}`, data: { text: `note ${i}` } },
        ...(i > 0
          ? [{ op: 'update', model: 'tasks', id: `t${i - 1}`, data: { status: 'done' } }]
          : [{ op: 'create', model: 'notes', id: 'extra', data: { text: 'x' } }]),
        i % 2 ? { op: 'delete', model: 'notes', id: `n${i - 1}` } : { op: 'update', model: 'notes', id: `n${i}`, data: { text: 'edited' } },
      )
    }
  })()

  await receiver.until(() => receiver.events.length >= 200)
  await receiver.down()
  const failuresBefore = attempts.of(e.id).filter((a) => !a.ok).length
  await attempts.until(() => attempts.of(e.id).filter((a) => !a.ok).length >= failuresBefore + 3)
  await receiver.up()
  await writing
  await receiver.until(() => receiver.events.length === 1000, 60_000)

  const log = (await http('GET', '/v1/changes?after=0&limit=1000')).body.data as Array<{ syncId: number; changes: unknown[] }>
  const expected = log.flatMap((entry) => entry.changes.map((_, i) => `evt_${entry.syncId}_${i}`))
  expect(expected).toHaveLength(1000)
  expect(receiver.events.map((x) => x.id)).toEqual(expected)
  expect(receiver.requests.every((r) => r.verified)).toBe(true)
  expect(attempts.of(e.id).some((a) => !a.ok && a.error!.includes('ECONNREFUSED'))).toBe(true)
  await attempts.until(() => attempts.of(e.id).some((a) => a.ok && a.lastSyncId === log.at(-1)!.syncId))
  expect((await http('GET', `/v1/webhook_endpoints/${e.id}`)).body).toMatchObject({ status: 'enabled', cursor: log.at(-1)!.syncId })
})
