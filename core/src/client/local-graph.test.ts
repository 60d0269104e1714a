import { describe, expect, it } from 'vitest'
import { LocalGraph } from './local-graph.ts'
import { subscribeSelector } from './reactive.ts'

const row = (id: string, syncId: number, title: string) => ({ id, createdAt: 't', updatedAt: 't', syncId, title })
const entry = (syncId: number, id: string, title: string) => ({
  syncId,
  txId: null,
  actor: { id: 'a', kind: 'agent' as const },
  stale: false,
  createdAt: 't',
  changes: [{ model: 'tasks', id, op: 'update' as const, data: row(id, syncId, title), previous: {}, groups: [] }],
})

describe('LocalGraph reactivity', () => {
  it('a change to one row wakes only readers of that row (and of the whole model)', () => {
    const g = new LocalGraph(['tasks'])
    g.applyBootstrap(1, { tasks: [row('a', 1, 'A'), row('b', 1, 'B')] })
    const wakes = { a: 0, b: 0, all: 0 }
    subscribeSelector(
      () => g.get('tasks', 'a')?.title,
      () => wakes.a++,
    )
    subscribeSelector(
      () => g.get('tasks', 'b')?.title,
      () => wakes.b++,
    )
    subscribeSelector(
      () => [...g.all('tasks')].length + (g.get('tasks', 'a') ? 0 : 1),
      () => wakes.all++,
    )
    g.applyEntries([entry(2, 'a', 'A2')])
    expect(wakes).toEqual({ a: 1, b: 0, all: 0 }) // count unchanged: the model reader's result is equal
    g.applyEntries([entry(3, 'b', 'B2'), entry(4, 'b', 'B3')])
    expect(wakes).toEqual({ a: 1, b: 1, all: 0 }) // one frame, one wake, consistent final value
  })

  it('an unchanged echo (server row equal to the optimistic one) does not wake anyone', () => {
    const g = new LocalGraph(['tasks'])
    g.applyBootstrap(1, { tasks: [row('a', 1, 'A')] })
    let wakes = 0
    subscribeSelector(
      () => g.get('tasks', 'a'),
      () => wakes++,
    )
    g.applyEntries([entry(2, 'a', 'A')])
    expect(wakes).toBe(1) // syncId changed: a new row object
    g.applyEntries([entry(2, 'a', 'A')]) // replay of an already applied entry
    expect(wakes).toBe(1)
  })
})

describe('LocalGraph: a transaction of several operations', () => {
  const updatePoints = (id: string, points: number) => ({ op: 'update' as const, model: 'tasks', id, data: { points } })

  it('is rebased as a unit on remote changes that arrive first, and rolled back as a unit', () => {
    const g = new LocalGraph(['tasks'])
    g.applyBootstrap(1, { tasks: [row('a', 1, 'A'), row('b', 1, 'B')] })
    const seen: string[] = []
    subscribeSelector(
      () => ['a', 'b'].map((id) => `${g.get('tasks', id)?.title}:${g.get('tasks', id)?.points ?? '-'}`).join(' '),
      (v) => seen.push(v as string),
    )
    g.addPending({ txId: 'tx1', operations: [updatePoints('a', 1), updatePoints('b', 2)], at: 't' })
    // Someone else renames both rows before the transaction is confirmed: their titles, our points, on both.
    g.applyEntries([entry(2, 'a', 'A2'), entry(3, 'b', 'B2')])
    expect(seen).toEqual(['A:1 B:2', 'A2:1 B2:2'])
    g.reject('tx1')
    expect(seen.at(-1)).toBe('A2:- B2:-')
    expect(seen).toHaveLength(3) // never one row rolled back without the other
  })
})
