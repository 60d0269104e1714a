import { memoryStore } from '@tandem/core/server'
import { expect, it } from 'vitest'
import { start } from './harness.ts'

it('compaction keeps what a disabled endpoint still needs; deleting the endpoint lets it go', async () => {
  const store = memoryStore()
  const { http, commit, endpoint, attempts, server } = await start({}, { store, logRetention: 2 })
  const { receiver, endpoint: e } = await endpoint()
  await http('PATCH', `/v1/webhook_endpoints/${e.id}`, { status: 'disabled' })
  for (let i = 0; i < 10; i++) await commit({ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } })
  const other = await commit({ op: 'create', model: 'notes', id: 'n10', data: { text: '10' } })
  expect(await store.logStart()).toBe(0) // the disabled endpoint's cursor (0) holds every entry

  await http('PATCH', `/v1/webhook_endpoints/${e.id}`, { status: 'enabled' })
  await receiver.until(() => receiver.events.length === 11)
  expect(receiver.events.map((x) => x.syncId)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
  await attempts.until(() => attempts.of(e.id).some((a) => a.ok && a.lastSyncId === other.syncId))

  await http('DELETE', `/v1/webhook_endpoints/${e.id}`)
  const last = await commit({ op: 'create', model: 'notes', id: 'n11', data: { text: '11' } })
  await commit({ op: 'create', model: 'notes', id: 'n12', data: { text: '12' } })
  await server.close() // waits for a compaction still running
  // No endpoint left: the server's own retention (2 entries) applies.
  expect(await store.logStart()).toBeGreaterThanOrEqual(last.syncId - 1)
})
