/**
 * @module Presence on the client: the entries the server shows this
 * connection (`presence` snapshots and `presence_diff` frames), this client's
 * own intent (shown at once on its own entry, sent coalesced, re-sent after a
 * reconnect), and `others(target)` memoized per target.
 */
import { atom, computed, type ReadableAtom } from 'nanostores'
import type { TandemError } from '../errors/index.ts'
import {
  checkPresenceIntent,
  type PresenceDiffFrame,
  type PresenceEntry,
  type PresenceFrame,
  type PresenceIntent,
  type PresenceWireEntry,
} from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import { tracked } from './reactive.ts'

export interface PresenceTransport {
  /** Send this connection's intent (null clears it); rejects when offline or refused. */
  send(intent: PresenceIntent | null): Promise<unknown>
  /** The connection is live. */
  connected(): boolean
}

/** `tandem.presence`. */
export interface PresenceApi {
  /** Everyone this client may see, itself included (`self: true`), ordered by (connectedAt, connectionId); `[]` until connected. */
  readonly list: ReadableAtom<readonly PresenceEntry[]>
  /** Everyone but this client; with a target, only those whose intent is on that row. The same atom for the same target. */
  others(target?: { model: string; id: string }): ReadableAtom<readonly PresenceEntry[]>
  /** Say what this client looks at or intends (checked against the schema; kept and re-sent after a reconnect). */
  setIntent(intent: PresenceIntent): void
  clearIntent(): void
}

const byConnection = (a: PresenceWireEntry, b: PresenceWireEntry) =>
  a.connectedAt === b.connectedAt ? (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0) : a.connectedAt < b.connectedAt ? -1 : 1

export class PresenceClient implements PresenceApi {
  readonly #schema: Schema
  readonly #transport: PresenceTransport
  readonly #entries = new Map<string, PresenceWireEntry>()
  readonly #list = atom<readonly PresenceEntry[]>(Object.freeze([]))
  readonly #others = new Map<string, ReadableAtom<readonly PresenceEntry[]>>()
  #self: string | null = null
  #intent: PresenceIntent | null = null
  /** What the server last accepted from this connection (undefined: nothing yet on this connection). */
  #sent: PresenceIntent | null | undefined
  #sending = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  readonly list: ReadableAtom<readonly PresenceEntry[]>

  constructor(schema: Schema, transport: PresenceTransport) {
    this.#schema = schema
    this.#transport = transport
    this.list = tracked(this.#list)
  }

  others(target?: { model: string; id: string }): ReadableAtom<readonly PresenceEntry[]> {
    const key = target ? `${target.model}\u0000${target.id}` : ''
    let store = this.#others.get(key)
    if (!store) {
      let last: readonly PresenceEntry[] = Object.freeze([])
      // The previous array while the same entries match: a presence change on another row wakes nobody here.
      store = tracked(
        computed(this.#list, (list) => {
          const next = list.filter((e) => !e.self && (!target || (e.intent !== null && e.intent.model === target.model && e.intent.id === target.id)))
          if (next.length !== last.length || next.some((e, i) => e !== last[i])) last = Object.freeze(next)
          return last
        }),
      )
      this.#others.set(key, store)
    }
    return store
  }

  setIntent(intent: PresenceIntent): void {
    this.#intent = checkPresenceIntent(this.#schema, intent)
    this.#publish()
    this.#push()
  }

  clearIntent(): void {
    this.#intent = null
    this.#publish()
    this.#push()
  }

  /** A frame from the server. */
  apply(frame: PresenceFrame | PresenceDiffFrame): void {
    if (frame.type === 'presence') {
      this.#entries.clear()
      this.#self = frame.self
      for (const e of frame.entries) this.#entries.set(e.connectionId, e)
    } else {
      for (const id of frame.remove) this.#entries.delete(id)
      for (const e of frame.upsert) this.#entries.set(e.connectionId, e)
    }
    this.#publish()
  }

  /** The connection is live (again): the server knows nothing of this client's intent yet. */
  resume(): void {
    this.#sent = undefined
    this.#push()
  }

  /** The connection dropped: what we saw is no longer known. */
  reset(): void {
    this.#entries.clear()
    this.#self = null
    this.#sent = undefined
    this.#publish()
  }

  dispose(): void {
    clearTimeout(this.#retryTimer)
    this.reset()
  }

  #publish(): void {
    const prev = this.#list.get()
    const prevById = new Map(prev.map((p) => [p.connectionId, p]))
    const list: PresenceEntry[] = []
    for (const e of [...this.#entries.values()].sort(byConnection)) {
      const self = e.connectionId === this.#self
      // Our own intent shows at once, before the server has echoed it.
      const entry = { ...e, ...(self ? { intent: this.#intent } : {}), self }
      // An unchanged entry keeps its object, so readers can compare by reference.
      const old = prevById.get(e.connectionId)
      list.push(old && JSON.stringify(old) === JSON.stringify(entry) ? old : Object.freeze(entry))
    }
    if (prev.length === list.length && prev.every((p, i) => p === list[i])) return
    this.#list.set(Object.freeze(list))
  }

  /** One request at a time; whatever changed meanwhile goes next (so a burst of setIntent sends at most two). */
  #push(): void {
    if (this.#sending || !this.#transport.connected()) return
    const intent = this.#intent
    if (this.#sent !== undefined && JSON.stringify(this.#sent) === JSON.stringify(intent)) return
    // A new connection starts with no intent: nothing to clear.
    if (this.#sent === undefined && intent === null) {
      this.#sent = null
      return
    }
    this.#sending = true
    this.#transport.send(intent).then(
      () => {
        this.#sending = false
        this.#sent = intent
        this.#push()
      },
      (error: TandemError) => {
        this.#sending = false
        if (error?.code === 'rate_limited') {
          const seconds = Number((error.details as { retryAfter?: number } | undefined)?.retryAfter ?? 1)
          clearTimeout(this.#retryTimer)
          this.#retryTimer = setTimeout(() => this.#push(), Math.max(50, seconds * 1000))
          return
        }
        // Offline: `resume()` sends it again. Refused otherwise (e.g. the server's schema differs): keep it local.
        if (error?.code !== 'offline') console.warn('[tandem] presence intent refused:', error?.message ?? error)
      },
    )
  }
}
