/**
 * @module Dependency tracking over nanostores atoms: a selector records the
 * atoms it reads, and re-runs only when one of those changes.
 */
import type { ReadableAtom } from 'nanostores'

let tracker: Set<ReadableAtom<unknown>> | null = null

/** Record that the running selector read `store`. */
export function track(store: ReadableAtom<unknown>): void {
  tracker?.add(store)
}

/** Run `fn`, returning its value and the atoms it read. */
export function collect<T>(fn: () => T): { value: T; deps: Set<ReadableAtom<unknown>> } {
  const outer = tracker
  const deps = new Set<ReadableAtom<unknown>>()
  tracker = deps
  try {
    return { value: fn(), deps }
  } finally {
    tracker = outer
  }
}

/** Equal for selector results: same value, or arrays / plain objects with identical members. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]))
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Object.getPrototypeOf(a) === Object.prototype &&
    Object.getPrototypeOf(b) === Object.prototype
  ) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length && ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return false
}

/**
 * Call `listener(value, previous)` whenever `selector`'s result changes.
 * Returns the unsubscribe function.
 */
export function subscribeSelector<T>(selector: () => T, listener: (value: T, previous: T) => void): () => void {
  let { value, deps } = collect(selector)
  const offs = new Map<ReadableAtom<unknown>, () => void>()
  let active = true
  const rerun = () => {
    if (!active) return
    const next = collect(selector)
    for (const [store, off] of offs) {
      if (!next.deps.has(store)) {
        off()
        offs.delete(store)
      }
    }
    for (const store of next.deps) if (!offs.has(store)) offs.set(store, store.listen(rerun))
    deps = next.deps
    if (!shallowEqual(next.value, value)) {
      const previous = value
      value = next.value
      listener(value, previous)
    }
  }
  for (const store of deps) offs.set(store, store.listen(rerun))
  return () => {
    active = false
    for (const off of offs.values()) off()
    offs.clear()
  }
}
