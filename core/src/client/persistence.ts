/**
 * @module Where the offline queue lives: in memory (default), or in
 * IndexedDB (`persistence: 'indexeddb'`), so a reload loses nothing.
 */
import { TandemValidationError } from '../errors/index.ts'
import type { Operation } from '../protocol/index.ts'
import type { LocalOp } from './local-graph.ts'

/** A queued write as persisted: enough to show it again and replay it with the same idempotency key. */
export interface PersistedTx {
  txId: string
  idempotencyKey: string
  operations: Operation[]
  ops: LocalOp[]
  claimToken?: string
  /** Queue order. */
  seq: number
}

export interface OutboxStore {
  load(): Promise<PersistedTx[]>
  put(tx: PersistedTx): Promise<void>
  delete(txId: string): Promise<void>
}

export const volatileOutbox: OutboxStore = {
  load: async () => [],
  put: async () => undefined,
  delete: async () => undefined,
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })

/** The queue in IndexedDB database `tandem:<key>` (one per server and app-chosen key, e.g. per user). */
export function indexedDbOutbox(key: string): OutboxStore {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB
  if (!idb) {
    throw new TandemValidationError({ code: 'invalid_request', message: "persistence: 'indexeddb' needs a browser with IndexedDB", param: 'persistence' })
  }
  let db: Promise<IDBDatabase> | undefined
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const r = idb.open(`tandem:${key}`, 1)
      r.onupgradeneeded = () => r.result.createObjectStore('outbox', { keyPath: 'txId' })
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    return db
  }
  const store = async (mode: IDBTransactionMode) => (await open()).transaction('outbox', mode).objectStore('outbox')
  const write = async (fn: (s: IDBObjectStore) => IDBRequest) => {
    const s = await store('readwrite')
    await request(fn(s))
    // Resolve only once the transaction is durable.
    await new Promise<void>((resolve, reject) => {
      s.transaction.oncomplete = () => resolve()
      s.transaction.onerror = () => reject(s.transaction.error)
    })
  }
  return {
    async load() {
      const all = (await request((await store('readonly')).getAll())) as PersistedTx[]
      return all.sort((a, b) => a.seq - b.seq)
    },
    put: (tx) => write((s) => s.put(tx)),
    delete: (txId) => write((s) => s.delete(txId)),
  }
}
