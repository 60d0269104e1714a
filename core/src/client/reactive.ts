/**
 * @module Dependency tracking over nanostores atoms: a selector records the
 * atoms it reads, and re-runs only when one of those changes; `selectStore`
 * holds its last result as a nanostores-compatible readable store.
 */
import { atom, type ReadableAtom } from 'nanostores'

let tracker: Set<ReadableAtom<unknown>> | null = null

/** Record that the running selector read `store`. */
export function track(store: ReadableAtom<unknown>): void {
  tracker?.add(store)
}

/** Run `fn` without recording what it reads into the running selector. */
function untracked<T>(fn: () => T): T {
  const outer = tracker
  tracker = null
  try {
    return fn()
  } finally {
    tracker = outer
  }
}

/**
 * Make `store.get()` count as a read for a running selector, so `tandem.select((t) => t.status.get())`
 * re-runs when the status changes. Returns the same store.
 */
export function tracked<S extends ReadableAtom<unknown>>(store: S): S {
  const get = store.get
  store.get = () => {
    track(store)
    return get()
  }
  return store
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

/**
 * Equal for selector results: the same value (`Object.is`), arrays with the same members in order,
 * or plain objects with the same keys and members. Members are compared by reference.
 * @example
 * shallowEqual([rowA, rowB], [rowA, rowB]) // true
 * shallowEqual({ n: 1 }, { n: 1 }) // true
 */
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
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return false
}

/**
 * A readable store over `selector`: `get()` runs it only when an atom it read last time has
 * changed since, and keeps the previous result (same reference) when the new one is `equal`;
 * listeners hear only of results that differ. It listens to those atoms only while it has
 * listeners of its own, so an unused store holds nothing.
 */
export function selectStore<T>(selector: () => T, equal: (a: T, b: T) => boolean = shallowEqual): ReadableAtom<T> {
  const $store = atom<T>(undefined as T)
  let hasValue = false
  // Each atom the last run read, with the value it had then: the result is current while none moved.
  let seen: Map<ReadableAtom<unknown>, unknown> | undefined
  const offs = new Map<ReadableAtom<unknown>, () => void>()

  $store.eq = (previous, next) => hasValue && equal(previous as T, next as T)
  const current = () => {
    if (!seen) return false
    for (const [dep, value] of seen) if (!Object.is(dep.get(), value)) return false
    return true
  }
  // Untracked: a selector reading this store depends on the store, not on what the store read.
  const refresh = () =>
    untracked(() => {
      if (current()) return
      const { value, deps } = collect(selector)
      seen = new Map([...deps].map((dep) => [dep, dep.get()]))
      if ($store.lc > 0) follow()
      $store.set(value)
      hasValue = true
    })
  const follow = () => {
    for (const [dep, off] of offs) {
      if (!seen!.has(dep)) {
        off()
        offs.delete(dep)
      }
    }
    for (const dep of seen!.keys()) if (!offs.has(dep)) offs.set(dep, dep.listen(refresh))
  }

  $store.get = () => {
    track($store)
    refresh()
    return $store.value
  }
  // nanostores' own `subscribe` goes through `listen`; `off` runs when the last listener leaves.
  const listen = $store.listen
  $store.listen = (listener) => {
    if ($store.lc === 0) {
      refresh()
      follow()
    }
    return listen(listener)
  }
  // Svelte's store contract: call back at once with the current value, return the unsubscribe function.
  $store.subscribe = (listener) => {
    const off = $store.listen(listener)
    listener($store.get() as Parameters<typeof listener>[0])
    return off
  }
  $store.off = () => {
    for (const off of offs.values()) off()
    offs.clear()
  }
  return $store
}

/**
 * Call `listener(value, previous)` whenever `selector`'s result changes.
 * Returns the unsubscribe function.
 */
export function subscribeSelector<T>(selector: () => T, listener: (value: T, previous: T) => void): () => void {
  return selectStore(selector).listen((value, previous) => listener(value as T, previous as T))
}
