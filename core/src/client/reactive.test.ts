import { atom, computed } from 'nanostores'
import { describe, expect, it } from 'vitest'
import { selectStore, shallowEqual, track, tracked } from './reactive.ts'

/** An atom that a selector reading it tracks, as the local graph's atoms are. */
const source = <T>(initial: T) => {
  const a = atom(initial)
  return { atom: a, read: () => (track(a), a.get()) }
}

describe('selectStore', () => {
  it('keeps the reference while the result is shallow-equal, listened or not', () => {
    const rows = source([{ id: 'a' }, { id: 'b' }])
    let runs = 0
    const open = selectStore(() => (runs++, rows.read().filter((r) => r.id !== 'x')))
    const first = open.get()
    expect(open.get()).toBe(first)
    expect(runs).toBe(1) // nothing it read moved: not even re-run
    rows.atom.set([...rows.atom.get()]) // a new array with the same members
    expect(open.get()).toBe(first)
    const heard: unknown[] = []
    const off = open.listen((v) => heard.push(v))
    rows.atom.set([...rows.atom.get()])
    expect(heard).toEqual([])
    rows.atom.set([{ id: 'c' }])
    expect(heard).toEqual([[{ id: 'c' }]])
    expect(open.get()).toBe(heard[0])
    off()
  })

  it('listens to what the selector read only while it has listeners, and follows the selector’s reads', () => {
    const flag = source(true)
    const left = source('L')
    const right = source('R')
    const side = selectStore(() => (flag.read() ? left.read() : right.read()))
    expect(side.get()).toBe('L')
    expect([flag.atom.lc, left.atom.lc, right.atom.lc]).toEqual([0, 0, 0])
    const heard: string[] = []
    const off = side.listen((v) => heard.push(v))
    expect([flag.atom.lc, left.atom.lc, right.atom.lc]).toEqual([1, 1, 0])
    flag.atom.set(false)
    expect([flag.atom.lc, left.atom.lc, right.atom.lc]).toEqual([1, 0, 1])
    left.atom.set('L2') // no longer read
    right.atom.set('R2')
    expect(heard).toEqual(['R', 'R2'])
    off()
    expect([flag.atom.lc, left.atom.lc, right.atom.lc]).toEqual([0, 0, 0])
    right.atom.set('R3') // unlistened: get() re-runs it
    expect(side.get()).toBe('R3')
  })

  it('subscribe calls back at once (Svelte’s store contract) and returns the unsubscribe function', () => {
    const n = source(1)
    const doubled = selectStore(() => n.read() * 2)
    const heard: number[] = []
    const unsubscribe = doubled.subscribe((v) => heard.push(v))
    n.atom.set(2)
    unsubscribe()
    n.atom.set(3)
    expect(heard).toEqual([2, 4])
    expect(doubled.lc).toBe(0)
  })

  it('a custom equal decides what counts as a change', () => {
    const items = source(['a', 'b'])
    const count = selectStore(
      () => [...items.read()],
      (a, b) => a.length === b.length,
    )
    const first = count.get()
    const heard: unknown[] = []
    const off = count.listen((v) => heard.push(v))
    items.atom.set(['c', 'd'])
    expect(heard).toEqual([])
    expect(count.get()).toBe(first)
    items.atom.set(['c'])
    expect(heard).toEqual([['c']])
    off()
  })

  it('works as a dependency of nanostores’ computed', () => {
    const n = source(1)
    const parity = selectStore(() => ({ even: n.read() % 2 === 0 }))
    const label = computed(parity, (p) => (p.even ? 'even' : 'odd'))
    const heard: string[] = []
    const off = label.subscribe((v) => heard.push(v))
    n.atom.set(3) // still odd: parity keeps its object, label is not recomputed
    n.atom.set(4)
    off()
    expect(heard).toEqual(['odd', 'even'])
  })
})

describe('shallowEqual', () => {
  it('compares arrays element-wise and plain objects key-wise, by reference', () => {
    const row = { id: 'a' }
    expect(shallowEqual([row, 1], [row, 1])).toBe(true)
    expect(shallowEqual([{ id: 'a' }], [{ id: 'a' }])).toBe(false)
    expect(shallowEqual({ a: row, n: NaN }, { a: row, n: NaN })).toBe(true)
    expect(shallowEqual({ a: undefined }, { b: undefined })).toBe(false)
    expect(shallowEqual(new Map(), new Map())).toBe(false)
    expect(shallowEqual([1], { 0: 1, length: 1 })).toBe(false)
  })
})

describe('stores read inside a selector', () => {
  it('a tracked store and a select store count as reads; what the inner store read does not leak out', () => {
    const status = tracked(atom('offline'))
    const n = tracked(atom(1))
    const inner = selectStore(() => n.get() * 10)
    const outer = selectStore(() => `${status.get()}:${inner.get()}`)
    const heard: string[] = []
    const off = outer.listen((v) => heard.push(v))
    status.set('connected')
    n.set(2)
    expect(heard).toEqual(['connected:10', 'connected:20'])
    expect(n.lc).toBe(1) // only inner listens to n
    off()
    expect([status.lc, n.lc, inner.lc]).toEqual([0, 0, 0])
  })
})
