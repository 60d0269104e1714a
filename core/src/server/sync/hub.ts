/** @module Fan-out: committed log entries → every subscriber that can see them, encoded once per audience. */
import { createListeners } from '../../internal/listeners.ts'
import type { Change, LogEntry } from '../../protocol/index.ts'
import { type GroupFilter, groupsVisible } from '../store.ts'

export interface Subscriber {
  readonly groups: GroupFilter
  /** Receives the entries it can see and their `changes` frame, already JSON-encoded. */
  deliver(entries: LogEntry[], frame: string): void
}

/**
 * Only the changes of `entry` visible to `groups`, as that audience should
 * read them; null when none is. A change is judged by what the audience could
 * see before it and after it:
 * - both: as it is;
 * - after only (the row moved into its groups): a create with the full row,
 *   no `previous` and no `previousGroups`, so nothing of the row's time in
 *   other groups leaks;
 * - before only (the row moved out): a delete, so it disappears from the
 *   client live;
 * - neither: left out.
 */
export function visibleEntry(entry: LogEntry, groups: GroupFilter): LogEntry | null {
  if (groups === null) return entry
  if (entry.claim) return groupsVisible(entry.claim.groups, groups) ? entry : null
  let changed = false
  const changes: Change[] = []
  for (const c of entry.changes) {
    const after = groupsVisible(c.groups, groups)
    const before = c.previousGroups ? groupsVisible(c.previousGroups, groups) : after
    if (after && before) changes.push(c)
    else if (after) {
      changes.push({ model: c.model, id: c.id, op: 'create', data: c.data, previous: null, groups: c.groups })
      changed = true
    } else if (before) {
      changes.push({ model: c.model, id: c.id, op: 'delete', data: null, previous: null, groups: c.previousGroups! })
      changed = true
    } else changed = true
  }
  if (changes.length === 0) return null
  return changed ? { ...entry, changes } : entry
}

export function visibleEntries(entries: readonly LogEntry[], groups: GroupFilter): LogEntry[] {
  const out: LogEntry[] = []
  for (const e of entries) {
    const v = visibleEntry(e, groups)
    if (v) out.push(v)
  }
  return out
}

export const encodeChanges = (entries: readonly LogEntry[]): string => JSON.stringify({ type: 'changes', entries })

/**
 * Fan-out in log order, without gaps: local commits are offered directly;
 * when an entry is missing (another node wrote it), the hub reads the log
 * from the store and publishes in order.
 */
export class Hub {
  #subscribers = new Set<Subscriber>()
  #listeners = createListeners<LogEntry[]>()
  #head = 0
  #readLog: (after: number, limit: number) => Promise<LogEntry[]>
  #catchingUp: Promise<void> | undefined
  #again = false

  constructor(readLog: (after: number, limit: number) => Promise<LogEntry[]>) {
    this.#readLog = readLog
  }

  /** Entries this node just committed: published now if they follow the head, else after reading the gap. */
  offer(entries: LogEntry[]): void {
    if (entries.length === 0) return
    if (entries[0]!.syncId <= this.#head + 1) this.publish(entries)
    else void this.catchUp()
  }

  /** Read and publish everything after the head (serialized; a call during a run makes it go round again). */
  catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#again = true
      return this.#catchingUp
    }
    this.#catchingUp = (async () => {
      try {
        do {
          this.#again = false
          for (;;) {
            const entries = await this.#readLog(this.#head, 1000)
            this.publish(entries)
            if (entries.length < 1000) break
          }
        } while (this.#again)
      } catch (error) {
        console.error('[tandem] could not read the log for fan-out:', error)
      } finally {
        this.#catchingUp = undefined
      }
    })()
    return this.#catchingUp
  }

  get head(): number {
    return this.#head
  }

  set head(syncId: number) {
    this.#head = Math.max(this.#head, syncId)
  }

  add(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber)
    return () => this.#subscribers.delete(subscriber)
  }

  /** Raw listener for every published batch (plugins, long-poll wake-ups). */
  listen(fn: (entries: LogEntry[]) => void): () => void {
    return this.#listeners.add(fn)
  }

  get size(): number {
    return this.#subscribers.size
  }

  /** Publish entries that follow the head; older ones are dropped (already out). */
  publish(all: LogEntry[]): void {
    const entries = all[0] && all[0].syncId <= this.#head ? all.filter((e) => e.syncId > this.#head) : all
    if (entries.length === 0) return
    this.head = entries.at(-1)!.syncId
    const frames = new Map<string, { entries: LogEntry[]; frame: string } | null>()
    for (const sub of this.#subscribers) {
      const key = sub.groups === null ? '*' : [...sub.groups].sort().join('\u0000')
      let audience = frames.get(key)
      if (audience === undefined) {
        const visible = visibleEntries(entries, sub.groups)
        audience = visible.length ? { entries: visible, frame: encodeChanges(visible) } : null
        frames.set(key, audience)
      }
      if (audience) sub.deliver(audience.entries, audience.frame)
    }
    this.#listeners.emit(entries)
  }

  /** Resolves once the head passes `after`, or after `ms`. */
  waitPast(after: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#head > after) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        off()
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      const off = this.listen(() => {
        if (this.#head > after) done()
      })
      signal?.addEventListener('abort', done)
    })
  }
}
