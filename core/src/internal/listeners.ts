/** @module A set of listeners: add (returns the unsubscribe function), emit to all, clear. */

export interface Listeners<T> {
  add(fn: (value: T) => void): () => void
  emit(value: T): void
  clear(): void
}

export function createListeners<T>(): Listeners<T> {
  const set = new Set<(value: T) => void>()
  return {
    add(fn) {
      set.add(fn)
      return () => set.delete(fn)
    },
    emit(value) {
      for (const fn of set) fn(value)
    },
    clear: () => set.clear(),
  }
}
