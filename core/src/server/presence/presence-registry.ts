/**
 * @module The presence registry of one server node: one entry per connection
 * (WebSocket, or an HTTP participant kept alive by a TTL), in memory only,
 * never in the log or a store. Viewers get a snapshot when they join and then
 * diffs, coalesced per tick. What a viewer may see:
 * - an entry, when its sync groups meet the viewer's (secret keys are in every group);
 * - its intent, only when the viewer can see the row the intent is on (else `null`).
 */
import type { PresenceIntent, PresenceWireEntry } from '../../protocol/index.ts'
import { type GroupFilter, groupsVisible } from '../store.ts'
import type { Session } from '../identity/session.ts'

export interface PresenceRecord {
  readonly connectionId: string
  readonly participant: PresenceWireEntry['participant']
  /** The connection's sync groups; null = every group (a secret key). */
  readonly groups: GroupFilter
  /** The credential that owns the entry (an HTTP participant is refreshed and deleted by it). */
  readonly credentialId: string
  readonly connectedAt: string
  intent: PresenceIntent | null
  /** The groups of the intent's row; null while unknown (the row is not visible to its setter, or not there yet). */
  intentGroups: readonly string[] | null
  updatedAt: string
  /** HTTP participants only: gone after this (ms since epoch) unless refreshed. */
  expiresAt?: number
  /** HTTP participants only: false once the credential is revoked or expired. */
  stillValid?: () => boolean
}

/** Someone who watches presence: a WebSocket connection. */
export interface PresenceViewer {
  readonly connectionId: string
  readonly groups: GroupFilter
  /** Send an already-built frame. */
  sendPresence(frame: object): void
}

const targetKey = (model: string, id: string) => `${model}\u0000${id}`

/** Whether a viewer with `groups` sees `record` (its own entry always). */
export function entryVisible(record: PresenceRecord, groups: GroupFilter, selfId?: string): boolean {
  if (record.connectionId === selfId || groups === null || record.groups === null) return true
  return record.groups.some((g) => groups.includes(g))
}

/** `record` as a viewer with `groups` sees it (an intent on a row it cannot see becomes null). */
export function entryFor(record: PresenceRecord, groups: GroupFilter, selfId?: string): PresenceWireEntry {
  const intentVisible =
    record.intent !== null &&
    (groups === null || record.connectionId === selfId || (record.intentGroups !== null && groupsVisible(record.intentGroups, groups)))
  return {
    connectionId: record.connectionId,
    participant: record.participant,
    intent: intentVisible ? record.intent : null,
    connectedAt: record.connectedAt,
    updatedAt: record.updatedAt,
  }
}

/** The participant part of an entry, from the connection's identity. */
export const participantOf = (session: Session): PresenceWireEntry['participant'] => ({
  id: session.actor.id,
  kind: session.actor.kind,
  ...(session.actor.name !== undefined ? { name: session.actor.name } : {}),
})

export class PresenceRegistry {
  readonly #records = new Map<string, PresenceRecord>()
  /** Intents by row, to follow rows that are created or move between groups. */
  readonly #byTarget = new Map<string, Set<string>>()
  readonly #viewers = new Map<PresenceViewer, Map<string, string>>() // viewer → connectionId → last sent JSON
  readonly #waiters = new Set<() => void>()
  #changed = new Set<string>()
  #flushScheduled = false
  #version = 0

  /** Grows on every change; HTTP clients long-poll on it. */
  get version(): number {
    return this.#version
  }

  get size(): number {
    return this.#records.size
  }

  get(connectionId: string): PresenceRecord | undefined {
    return this.#records.get(connectionId)
  }

  /** The entries a viewer with `groups` sees, in a stable order (connectedAt, connectionId). */
  visible(groups: GroupFilter, selfId?: string): PresenceWireEntry[] {
    const out: PresenceWireEntry[] = []
    for (const r of this.#records.values()) if (entryVisible(r, groups, selfId)) out.push(entryFor(r, groups, selfId))
    return out.sort((a, b) => (a.connectedAt === b.connectedAt ? (a.connectionId < b.connectionId ? -1 : 1) : a.connectedAt < b.connectedAt ? -1 : 1))
  }

  /** The HTTP participants (entries with a TTL) of one credential, oldest first. */
  httpEntriesOf(credentialId: string): PresenceRecord[] {
    return [...this.#records.values()].filter((r) => r.expiresAt !== undefined && r.credentialId === credentialId)
  }

  join(record: PresenceRecord): void {
    this.#records.set(record.connectionId, record)
    this.#index(record)
    this.#touch(record.connectionId)
  }

  /** Set (or clear) an entry's intent with the groups of its row, as the setter could see it. */
  setIntent(connectionId: string, intent: PresenceIntent | null, intentGroups: readonly string[] | null): void {
    const r = this.#records.get(connectionId)
    if (!r) return
    const groups = intent ? intentGroups : null
    if (JSON.stringify(r.intent) === JSON.stringify(intent) && JSON.stringify(r.intentGroups) === JSON.stringify(groups)) return
    this.#unindex(r)
    r.intent = intent
    r.intentGroups = groups
    r.updatedAt = new Date().toISOString()
    this.#index(r)
    this.#touch(connectionId)
  }

  /** Keep an HTTP participant alive until `expiresAt`. */
  refresh(connectionId: string, expiresAt: number): void {
    const r = this.#records.get(connectionId)
    if (r) r.expiresAt = Math.max(r.expiresAt ?? 0, expiresAt)
  }

  leave(connectionId: string): void {
    const r = this.#records.get(connectionId)
    if (!r) return
    this.#unindex(r)
    this.#records.delete(connectionId)
    this.#touch(connectionId)
  }

  /** A committed change to a row: intents on it now follow the row's groups. */
  rowChanged(model: string, id: string, groups: readonly string[]): void {
    const ids = this.#byTarget.get(targetKey(model, id))
    if (!ids) return
    for (const connectionId of ids) {
      const r = this.#records.get(connectionId)
      if (!r || (r.intentGroups && sameGroups(r.intentGroups, groups))) continue
      r.intentGroups = groups
      this.#touch(connectionId)
    }
  }

  /** Drop HTTP participants past their TTL, or whose credential no longer holds. */
  sweep(now = Date.now()): void {
    for (const r of [...this.#records.values()]) {
      if ((r.expiresAt !== undefined && r.expiresAt <= now) || (r.stillValid && !r.stillValid())) this.leave(r.connectionId)
    }
  }

  /** Start sending `viewer` presence: a full snapshot now, diffs after. Returns the way to stop. */
  watch(viewer: PresenceViewer): () => void {
    const sent = new Map<string, string>()
    const entries = this.visible(viewer.groups, viewer.connectionId)
    for (const e of entries) sent.set(e.connectionId, JSON.stringify(e))
    this.#viewers.set(viewer, sent)
    viewer.sendPresence({ type: 'presence', self: viewer.connectionId, entries })
    return () => this.#viewers.delete(viewer)
  }

  /** Resolves once the version passes `after`, or after `ms`. */
  waitPast(after: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#version > after) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#waiters.add(done)
      signal?.addEventListener('abort', done)
    })
  }

  #index(r: PresenceRecord): void {
    if (!r.intent) return
    const key = targetKey(r.intent.model, r.intent.id)
    let ids = this.#byTarget.get(key)
    if (!ids) this.#byTarget.set(key, (ids = new Set()))
    ids.add(r.connectionId)
  }

  #unindex(r: PresenceRecord): void {
    if (!r.intent) return
    const key = targetKey(r.intent.model, r.intent.id)
    const ids = this.#byTarget.get(key)
    ids?.delete(r.connectionId)
    if (ids?.size === 0) this.#byTarget.delete(key)
  }

  #touch(connectionId: string): void {
    this.#version++
    this.#changed.add(connectionId)
    for (const wake of [...this.#waiters]) wake()
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    // Coalesced: a burst of changes in one tick leaves as one diff per viewer.
    setImmediate(() => this.#flush())
  }

  #flush(): void {
    this.#flushScheduled = false
    const changed = this.#changed
    this.#changed = new Set()
    for (const [viewer, sent] of this.#viewers) {
      const upsert: PresenceWireEntry[] = []
      const remove: string[] = []
      for (const id of changed) {
        const r = this.#records.get(id)
        if (r && entryVisible(r, viewer.groups, viewer.connectionId)) {
          const entry = entryFor(r, viewer.groups, viewer.connectionId)
          const json = JSON.stringify(entry)
          if (sent.get(id) === json) continue
          sent.set(id, json)
          upsert.push(entry)
        } else if (sent.delete(id)) remove.push(id)
      }
      if (upsert.length || remove.length) viewer.sendPresence({ type: 'presence_diff', upsert, remove })
    }
  }
}

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((g) => b.includes(g))
}
