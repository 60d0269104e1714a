/**
 * @module `GET /v1/changes` pages, shared by the polls one commit wakes: they read the log once
 * and each audience's page is encoded once (1,000 parked polls used to mean 1,000 log reads and
 * 1,000 encodings of the same entries). Shared only within one turn of the event loop.
 */
import type { LogEntry } from '../../protocol/index.ts'
import type { GroupFilter, Store } from '../store.ts'
import { visibleEntries } from '../sync/hub.ts'

export class ChangesPages {
  readonly #store: Store
  #reads = new Map<string, Promise<LogEntry[]>>()
  #bodies = new Map<string, string>()
  #clearing = false

  constructor(store: Store) {
    this.#store = store
  }

  /** The JSON body of the page after `after` (up to `limit` entries) that `groups` may see, with the log at `head`. */
  async page(after: number, limit: number, head: number, groups: GroupFilter): Promise<string> {
    const key = `${after}:${limit}:${head}:${groups === null ? '*' : groups.join('\u0000')}`
    const cached = this.#bodies.get(key)
    if (cached !== undefined) return cached
    const entries = head > after ? await this.#read(after, limit) : []
    const cursor = entries.at(-1)?.syncId ?? Math.min(after, head)
    const body = JSON.stringify({ object: 'list', data: visibleEntries(entries, groups), hasMore: cursor < head, cursor, syncId: Math.max(head, cursor) })
    this.#remember(this.#bodies, key, body)
    return body
  }

  #read(after: number, limit: number): Promise<LogEntry[]> {
    const key = `${after}:${limit}`
    let read = this.#reads.get(key)
    if (!read) this.#remember(this.#reads, key, (read = this.#store.readLog(after, limit)))
    return read
  }

  #remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value)
    if (this.#clearing) return
    this.#clearing = true
    setImmediate(() => {
      this.#clearing = false
      this.#reads.clear()
      this.#bodies.clear()
    })
  }
}
