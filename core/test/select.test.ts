/** `tandem.select()` against a real server: the snapshot a binding hands to React keeps its reference until what it selected changes. */
import { describe, expect, it } from 'vitest'
import { until } from '@tandem/core/testing'
import { setup } from './helpers.ts'

/** Resolve with the next value `store` reports. */
const next = <T>(store: { listen(fn: (v: T) => void): () => void }) =>
  new Promise<T>((resolve) => {
    const off = store.listen((v) => (off(), resolve(v)))
  })

describe('tandem.select', () => {
  it('returns the identical reference until a selected row changes, and does not notify for an unrelated row', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])
    await b.tasks.create({ id: 'mine', data: { title: 'Mine', assignee: 'ada' } })
    await b.tasks.create({ id: 'other', data: { title: 'Other', assignee: 'bob' } })
    await until(a, (t) => t.tasks.getCount() === 2)

    // A fresh array from every getAll(), but one snapshot for the store.
    const adas = a.select((t) => t.tasks.getAll({ where: { assignee: 'ada' } }))
    const first = adas.get()
    expect(first.map((r) => r.id)).toEqual(['mine'])
    expect(adas.get()).toBe(first)
    expect(a.tasks.getAll({ where: { assignee: 'ada' } })).not.toBe(a.tasks.getAll({ where: { assignee: 'ada' } }))

    // Nobody listens: an unrelated row's change keeps the reference.
    await b.tasks.update({ id: 'other', data: { title: 'Other 2' } })
    await until(a, (t) => t.tasks.get('other')?.title === 'Other 2')
    expect(adas.get()).toBe(first)

    // Listened: no call for an unrelated row, one for the selected row, and the new snapshot is stable again.
    const heard: unknown[] = []
    const off = adas.listen((rows) => heard.push(rows))
    await b.tasks.update({ id: 'other', data: { title: 'Other 3' } })
    await until(a, (t) => t.tasks.get('other')?.title === 'Other 3')
    expect(heard).toEqual([])
    expect(adas.get()).toBe(first)

    const changed = next(adas)
    await b.tasks.update({ id: 'mine', data: { title: 'Mine 2' } })
    const second = await changed
    expect(second).not.toBe(first)
    expect(second.map((r) => r.title)).toEqual(['Mine 2'])
    expect(adas.get()).toBe(second)
    expect(adas.get()).toBe(second)
    expect(heard).toEqual([second])
    off()
  })

  it('subscribe() is select().listen: called with (value, previous) only on change', async () => {
    const { client } = await setup()
    const a = client()
    await a.ready()
    await a.tasks.create({ id: 't', data: { title: 'One' } })
    const calls: Array<[unknown, unknown]> = []
    const off = a.subscribe(
      (t) => ({ title: t.tasks.get('t')?.title, count: t.tasks.getCount() }),
      (value, previous) => calls.push([value, previous]),
    )
    await a.tasks.create({ id: 'u', data: { title: 'Unrelated' } })
    await a.tasks.update({ id: 't', data: { points: 2 } }) // a field the selector does not return
    await a.tasks.update({ id: 't', data: { title: 'Two' } })
    off()
    expect(calls).toEqual([
      [
        { title: 'One', count: 2 },
        { title: 'One', count: 1 },
      ],
      [
        { title: 'Two', count: 2 },
        { title: 'One', count: 2 },
      ],
    ])
  })

  it('follows the Svelte store contract: subscribe calls back at once and returns the unsubscribe function', async () => {
    const { client } = await setup()
    const a = client()
    await a.ready()
    const titles = a.select((t) => t.tasks.getAll().map((r) => r.title))
    const heard: string[][] = []
    const unsubscribe = titles.subscribe((v) => heard.push([...v]))
    expect(heard).toEqual([[]])
    await a.tasks.create({ data: { title: 'First' } })
    unsubscribe()
    await a.tasks.create({ data: { title: 'Second' } })
    expect(heard).toEqual([[], ['First']])
    expect(titles.lc).toBe(0)
  })
})
