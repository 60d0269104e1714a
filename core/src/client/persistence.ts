/**
 * @module Where the offline queue lives: in memory (default), or in
 * IndexedDB (`persistence: 'indexeddb'`), so a reload loses nothing.
 */
import { TandemValidationError } from '../errors/index.ts'
import type { ClientOperation } from './local-graph.ts'

/** A queued write as persisted: enough to show it again and replay it with the same idempotency key. */
export interface PersistedTx {
  txId: string
  idempotencyKey: string
  operations: ClientOperation[]
  /** Local time of the write (its optimistic timestamps). */
  at: string
  claimToken?: string
  /** The run the write belongs to (`runId` option). */
  runId?: string
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

/** Version 1 kept each write twice: the wire `operations` and the local `ops`, each op with its own `at`. */
interface PersistedTxV1 {
  txId: string
  idempotencyKey: string
  operations: Array<Omit<ClientOperation, 'id'> & { id?: string }>
  ops: Array<{ id: string; at: string }>
  claimToken?: string
  seq: number
}

/** A version-1 record in today's shape: the wire operations (their ids from the local ops), one `at`. */
export function upgradePersistedTx(old: PersistedTxV1): PersistedTx {
  const operations = old.operations.map((op, i) => ({ ...op, id: op.id ?? old.ops[i]!.id }))
  const tx: PersistedTx = { txId: old.txId, idempotencyKey: old.idempotencyKey, operations, at: old.ops[0]?.at ?? new Date().toISOString(), seq: old.seq }
  if (old.claimToken !== undefined) tx.claimToken = old.claimToken
  return tx
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })

/** The database version: 2 stores one shape per write (see `upgradePersistedTx`). */
export const outboxDbVersion = 2

/** The queue in IndexedDB database `tandem:<key>` (one per server and app-chosen key, e.g. per user). */
export function indexedDbOutbox(key: string): OutboxStore {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB
  if (!idb) {
    throw new TandemValidationError({ code: 'invalid_request', message: "persistence: 'indexeddb' needs a browser with IndexedDB", param: 'persistence' })
  }
  let db: Promise<IDBDatabase> | undefined
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const r = idb.open(`tandem:${key}`, outboxDbVersion)
      r.onupgradeneeded = (event) => {
        if (event.oldVersion < 1) {
          r.result.createObjectStore('outbox', { keyPath: 'txId' })
          return
        }
        // A queue written by version 1: rewrite each record in place, inside the upgrade transaction.
        const outbox = r.transaction!.objectStore('outbox')
        const cursor = outbox.openCursor()
        cursor.onsuccess = () => {
          const c = cursor.result
          if (!c) return
          const value = c.value as PersistedTx | PersistedTxV1
          if ('ops' in value) c.update(upgradePersistedTx(value))
          c.continue()
        }
      }
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
