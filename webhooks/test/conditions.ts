/** @module Await a condition on test state that changes by events: checked again whenever `changed()` is called. */
export class Conditions {
  readonly #waiters = new Set<() => void>()

  /** Call after every change of the state the conditions read. */
  changed(): void {
    for (const w of [...this.#waiters]) w()
  }

  /** Resolve once `predicate()` holds; reject after `timeoutMs` with `describe()` in the message. */
  until(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(describe()))
      }, timeoutMs)
      this.#waiters.add(check)
    })
  }
}
