/**
 * @module One `httpSource` transaction. Row writes sit in an overlay; when an
 * outermost savepoint succeeds (one commit of the pipeline), its row changes
 * go to the endpoint as one remote commit, and a refusal rolls back that
 * savepoint alone. Writes made outside savepoints go in one last remote
 * commit. Log entries and idempotency records stay in memory until the
 * caller writes them to the log store after `flush()`.
 */
import type { LogEntry } from '@tandem/core'
import type { IdempotencyRecord, StoreTransaction, StoredRow } from '@tandem/core/server'
import type { SourceOperation, SourceScope } from './protocol.ts'
import { diffOp, type RowState } from './row-diff.ts'

export interface TransactionDeps {
  /** The log's head when the transaction began. */
  head: number
  /** Committed idempotency record from the log store. */
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>
  /** The endpoint's current row (called at most once per row and transaction). */
  load(model: string, id: string): Promise<StoredRow | null>
  /** Journal and send one remote commit; resolves with its clientTxId once applied, else throws a typed error. */
  send(operations: SourceOperation[], scope: SourceScope, before: RowState[]): Promise<string>
}

export interface SourceTransaction {
  readonly tx: StoreTransaction
  /** Send the writes made outside savepoints. */
  flush(): Promise<void>
  readonly entries: readonly LogEntry[]
  records(): IdempotencyRecord[]
  /** clientTxIds of the remote commits this transaction made. */
  readonly sent: readonly string[]
}

const keyOf = (model: string, id: string) => `${model}\u0000${id}`
const clone = <T>(v: T): T => structuredClone(v)

export function createSourceTransaction(deps: TransactionDeps): SourceTransaction {
  const overlay = new Map<string, RowState>()
  const known = new Map<string, StoredRow | null>()
  const entries: LogEntry[] = []
  const records = new Map<string, IdempotencyRecord>()
  const undo: Array<() => void> = []
  const sent: string[] = []
  let depth = 0
  let dirty = new Set<string>()
  let unsentFrom = 0

  const remember = <V>(map: Map<string, V>, key: string) => {
    const had = map.has(key)
    const before = map.get(key)
    undo.push(() => (had ? map.set(key, before as V) : map.delete(key)))
  }
  const rollback = (mark: number) => {
    while (undo.length > mark) undo.pop()!()
  }
  const remote = async (model: string, id: string): Promise<StoredRow | null> => {
    const k = keyOf(model, id)
    if (!known.has(k)) known.set(k, await deps.load(model, id))
    return known.get(k)!
  }
  const write = (model: string, id: string, value: StoredRow | null) => {
    const k = keyOf(model, id)
    remember(overlay, k)
    overlay.set(k, { model, id, value: clone(value) })
    if (depth > 0) dirty.add(k)
  }

  /** One remote commit of the overlay's rows at `keys`, with the scope of the log entries from `from` on. */
  const send = async (keys: Iterable<string>, from: number) => {
    const operations: SourceOperation[] = []
    const before: RowState[] = []
    const changed: string[] = []
    for (const k of keys) {
      const state = overlay.get(k)
      if (!state) continue
      const was = await remote(state.model, state.id)
      const op = diffOp(state.model, state.id, was, state.value)
      if (!op) continue
      operations.push(op)
      before.push({ model: state.model, id: state.id, value: was })
      changed.push(k)
    }
    if (operations.length === 0) return
    const last = entries.slice(from).at(-1)
    const scope: SourceScope = { actor: last?.actor ?? null, syncId: last?.syncId ?? null, txId: last?.txId ?? null }
    sent.push(await deps.send(operations, scope, before))
    for (const k of changed) known.set(k, clone(overlay.get(k)!.value))
    unsentFrom = entries.length
  }

  const tx: StoreTransaction = {
    async getRow(model, id) {
      const pending = overlay.get(keyOf(model, id))
      return clone(pending ? pending.value : await remote(model, id))
    },
    async putRow(model, row) {
      write(model, row.row.id, row)
    },
    async deleteRow(model, id) {
      write(model, id, null)
    },
    async headSyncId() {
      return entries.at(-1)?.syncId ?? deps.head
    },
    async appendLog(entry) {
      const expected = (entries.at(-1)?.syncId ?? deps.head) + 1
      if (entry.syncId !== expected) throw new Error(`httpSource: syncId ${entry.syncId} is not ${expected}`)
      entries.push(clone(entry))
      undo.push(() => void entries.pop())
    },
    async getIdempotency(scope, key) {
      const pending = records.get(`${scope}\u0000${key}`)
      return pending ? clone(pending) : deps.getIdempotency(scope, key)
    },
    async putIdempotency(record) {
      const k = `${record.scope}\u0000${record.key}`
      remember(records, k)
      records.set(k, clone(record))
    },
    async savepoint<R>(fn: () => Promise<R>): Promise<R> {
      const mark = undo.length
      const outermost = depth === 0
      const from = entries.length
      if (outermost) dirty = new Set()
      depth++
      let result: R
      try {
        result = await fn()
      } catch (error) {
        depth--
        rollback(mark)
        throw error
      }
      depth--
      if (outermost) {
        try {
          await send(dirty, from)
        } catch (error) {
          rollback(mark)
          throw error
        }
      }
      return result
    },
  }

  return {
    tx,
    flush: () => send([...overlay.keys()], unsentFrom),
    entries,
    records: () => [...records.values()],
    sent,
  }
}
