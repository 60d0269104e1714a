/** @module Fan-out: committed log entries → every subscriber that can see them, encoded once per audience. */
import type { LogEntry } from '../protocol/index.ts'
import { type GroupFilter, groupsVisible } from './store.ts'

export interface Subscriber {
  readonly groups: GroupFilter
  /** Receives the entries it can see and their `changes` frame, already JSON-encoded. */
  deliver(entries: LogEntry[], frame: string): void
}

/** Only the changes of `entry` visible to `groups`; null when none is. */
export function visibleEntry(entry: LogEntry, groups: GroupFilter): LogEntry | null {
  if (groups === null) return entry
  if (entry.claim) return groupsVisible(entry.claim.groups, groups) ? entry : null
  const changes = entry.changes.filter((c) => groupsVisible(c.groups, groups))
  if (changes.length === 0) return null
  return changes.length === entry.changes.length ? entry : { ...entry, changes }
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

/** In-process fan-out and wake-ups; the multi-node bus feeds it the same entries. */
export class Hub {
  #subscribers = new Set<Subscriber>()
  #listeners = new Set<(entries: LogEntry[]) => void>()
  #head = 0

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
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  get size(): number {
    return this.#subscribers.size
  }

  publish(entries: LogEntry[]): void {
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
    for (const fn of this.#listeners) fn(entries)
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
