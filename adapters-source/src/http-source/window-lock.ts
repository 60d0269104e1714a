/**
 * @module A small read/write lock. Snapshots are readers; the writer is the
 * window between a transaction's first remote commit and its log commit
 * (while the endpoint's rows are ahead of the log). Waiting writers go first.
 */
export class WindowLock {
  #readers = 0
  #writer = false
  #writersWaiting = 0
  #wake: Array<() => void> = []

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#wake.push(resolve))
  }

  #notify(): void {
    for (const fn of this.#wake.splice(0)) fn()
  }

  /** Run `fn` while no window is open. */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer || this.#writersWaiting > 0) await this.#wait()
    this.#readers++
    try {
      return await fn()
    } finally {
      this.#readers--
      this.#notify()
    }
  }

  /** Open the window (waits for running readers); returns the function that closes it. */
  async open(): Promise<() => void> {
    this.#writersWaiting++
    try {
      while (this.#writer || this.#readers > 0) await this.#wait()
    } finally {
      this.#writersWaiting--
    }
    this.#writer = true
    let closed = false
    return () => {
      if (closed) return
      closed = true
      this.#writer = false
      this.#notify()
    }
  }
}
