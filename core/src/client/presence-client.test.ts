import { expect, it } from 'vitest'
import type { PresenceWireEntry } from '../protocol/index.ts'
import { defineSchema, model, z } from '../schema/index.ts'
import { PresenceClient } from './presence-client.ts'

const schema = defineSchema({ tasks: model({ title: z.string() }) })
const entry = (connectionId: string, rowId: string | null): PresenceWireEntry => ({
  connectionId,
  participant: { id: connectionId, kind: 'agent' },
  intent: rowId === null ? null : { model: 'tasks', id: rowId, action: 'editing' },
  connectedAt: '2026-12-06T00:00:00.000Z',
  updatedAt: '2026-12-06T00:00:00.000Z',
})

it('others(target) keeps its array and entries while presence changes only on other rows, so bindings can compare by reference', () => {
  const presence = new PresenceClient(schema, { send: async () => ({}), connected: () => false })
  presence.apply({ type: 'presence', self: 'me', entries: [entry('me', null), entry('a', 'row-a'), entry('b', 'row-b')] })
  const onA = presence.others({ model: 'tasks', id: 'row-a' })
  let wakes = 0
  const off = onA.listen(() => wakes++)
  const before = onA.get()
  expect(before.map((e) => e.connectionId)).toEqual(['a'])

  // b moves to another row, then c joins elsewhere: nothing on row A changed.
  presence.apply({ type: 'presence_diff', upsert: [{ ...entry('b', 'row-c'), updatedAt: '2026-12-06T00:00:01.000Z' }], remove: [] })
  presence.apply({ type: 'presence_diff', upsert: [entry('c', 'row-b')], remove: [] })
  expect(onA.get()).toBe(before)
  expect(wakes).toBe(0)
  // The whole list changed, but a's entry object is the one it was.
  expect(presence.list.get().find((e) => e.connectionId === 'a')).toBe(before[0])

  presence.apply({ type: 'presence_diff', upsert: [entry('b', 'row-a')], remove: [] })
  expect(onA.get().map((e) => e.connectionId)).toEqual(['a', 'b'])
  expect(wakes).toBe(1)
  off()
})
