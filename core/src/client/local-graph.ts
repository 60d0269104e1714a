/**
 * @module The local graph: confirmed server state, the queue of pending local
 * writes folded on top of it (optimistic state), and one nanostores atom per
 * row plus one per model, so a change to one row wakes only its readers.
 */
import { atom, type WritableAtom } from 'nanostores'
import { jsonEqual } from '../internal/stable-json.ts'
import type { LogEntry, Operation } from '../protocol/index.ts'
import type { AnyRow } from '../schema/types.ts'
import { track } from './reactive.ts'

/** A write as the client makes it: the wire operation, with its row id always set. */
export type ClientOperation = Operation & { id: string }

export interface PendingTx {
  txId: string
  operations: readonly ClientOperation[]
  /** Local time of the write, used for optimistic timestamps. */
  at: string
  /** Set once the server confirmed it; the tx leaves the queue when the graph reaches this syncId. */
  syncId?: number
}

const key = (model: string, id: string) => `${model}\u0000${id}`

/** One pending op on a row, with the tx it belongs to (for its time). */
interface RowOp {
  tx: PendingTx
  op: ClientOperation
}

/** `row` after `op`, written at `at`: the one step of folding pending writes onto confirmed state. */
function applyOp(row: AnyRow | undefined, op: ClientOperation, at: string): AnyRow | undefined {
  if (op.op === 'delete') return undefined
  if (op.op === 'create') return { ...op.data, id: op.id, createdAt: at, updatedAt: at, syncId: row?.syncId ?? 0 } as AnyRow
  return row ? ({ ...row, ...op.data, updatedAt: at } as AnyRow) : row
}

/** Why a row must be recomputed: `refold` from confirmed state, or only `appended` ops onto what is visible. */
type Dirty = { model: string; id: string; appended: RowOp[] | null }

export class LocalGraph {
  #confirmed = new Map<string, Map<string, AnyRow>>()
  #visible = new Map<string, Map<string, AnyRow>>()
  /** Pending txs by txId, in queue order (a Map: answers remove from the front of thousands without shifting an array). */
  #pending = new Map<string, PendingTx>()
  /** Pending ops per row, in queue order: a row folds only its own ops, not the whole queue. */
  #rowOps = new Map<string, RowOp[]>()
  /** Pending txs the server confirmed, waiting for the graph to reach their syncId. */
  #confirmedTxs = new Set<PendingTx>()
  #rowAtoms = new Map<string, WritableAtom<AnyRow | undefined>>()
  #modelAtoms = new Map<string, WritableAtom<number>>()
  #dirty = new Map<string, Dirty>()
  #cursorAtom = atom(0)

  constructor(modelNames: readonly string[]) {
    for (const m of modelNames) {
      this.#confirmed.set(m, new Map())
      this.#visible.set(m, new Map())
      this.#modelAtoms.set(m, atom(0))
    }
  }

  /** Highest syncId applied. */
  get cursor(): number {
    return this.#cursorAtom.get()
  }

  get cursorStore(): WritableAtom<number> {
    return this.#cursorAtom
  }

  get pending(): readonly PendingTx[] {
    return [...this.#pending.values()]
  }

  /** A row as the app sees it (optimistic), tracked for reactivity. */
  get(model: string, id: string): AnyRow | undefined {
    track(this.#rowAtom(model, id))
    return this.#visible.get(model)?.get(id)
  }

  /** A row as the app sees it, without tracking (for writes that read the state they replace). */
  peek(model: string, id: string): AnyRow | undefined {
    return this.#visible.get(model)?.get(id)
  }

  /** Every visible row of a model, tracked for reactivity. */
  all(model: string): Iterable<AnyRow> {
    track(this.#modelAtoms.get(model)!)
    return this.#visible.get(model)!.values()
  }

  confirmedRow(model: string, id: string): AnyRow | undefined {
    return this.#confirmed.get(model)?.get(id)
  }

  #rowAtom(model: string, id: string): WritableAtom<AnyRow | undefined> {
    const k = key(model, id)
    let a = this.#rowAtoms.get(k)
    if (!a) this.#rowAtoms.set(k, (a = atom(this.#visible.get(model)?.get(id))))
    return a
  }

  /** The row must be folded again from confirmed state. */
  #markDirty(model: string, id: string): void {
    const k = key(model, id)
    const d = this.#dirty.get(k)
    if (d) d.appended = null
    else this.#dirty.set(k, { model, id, appended: null })
  }

  /** Apply a local write optimistically, queued after every other. */
  addPending(tx: PendingTx): void {
    this.#pending.set(tx.txId, tx)
    for (const op of tx.operations) {
      const k = key(op.model, op.id)
      let ops = this.#rowOps.get(k)
      if (!ops) this.#rowOps.set(k, (ops = []))
      const rowOp = { tx, op }
      ops.push(rowOp)
      // Queued last, so it lands on top of what is visible: one step instead of refolding the row's queue.
      const d = this.#dirty.get(k)
      if (!d) this.#dirty.set(k, { model: op.model, id: op.id, appended: [rowOp] })
      else d.appended?.push(rowOp)
    }
    this.#flush()
  }

  /** Writes restored after a reload, in their order: they were made before anything queued since, so they go first. */
  restorePending(txs: readonly PendingTx[]): void {
    this.#pending = new Map([...txs.map((tx) => [tx.txId, tx] as const), ...this.#pending])
    const byRow = new Map<string, RowOp[]>()
    for (const tx of txs)
      for (const op of tx.operations) {
        const k = key(op.model, op.id)
        let ops = byRow.get(k)
        if (!ops) byRow.set(k, (ops = []))
        ops.push({ tx, op })
        this.#markDirty(op.model, op.id)
      }
    for (const [k, ops] of byRow) this.#rowOps.set(k, [...ops, ...(this.#rowOps.get(k) ?? [])])
    this.#flush()
  }

  #removePending(tx: PendingTx): void {
    this.#pending.delete(tx.txId)
    this.#confirmedTxs.delete(tx)
    for (const op of tx.operations) {
      const k = key(op.model, op.id)
      const ops = this.#rowOps.get(k)
      // Mostly the oldest op of its row: writes are answered in order.
      const i = ops?.findIndex((r) => r.tx === tx) ?? -1
      if (i >= 0) ops!.splice(i, 1)
      if (ops?.length === 0) this.#rowOps.delete(k)
      this.#markDirty(op.model, op.id)
    }
  }

  /** The server committed `txId` at `syncId`. */
  confirm(txId: string, syncId: number): void {
    const tx = this.#pending.get(txId)
    if (!tx) return
    tx.syncId = syncId
    this.#confirmedTxs.add(tx)
    this.#prune()
    this.#flush()
  }

  /** The server refused `txId`: roll its ops back. */
  reject(txId: string): void {
    const tx = this.#pending.get(txId)
    if (tx) this.#removePending(tx)
    this.#flush()
  }

  /** Drop txs the confirmed state already contains. */
  #prune(): void {
    for (const tx of this.#confirmedTxs) {
      if (tx.syncId! <= this.cursor) this.#removePending(tx)
    }
  }

  /** Server deltas, in log order. */
  applyEntries(entries: readonly LogEntry[]): void {
    let cursor = this.cursor
    for (const entry of entries) {
      if (entry.syncId <= cursor) continue
      for (const change of entry.changes) {
        const table = this.#confirmed.get(change.model)
        if (!table) continue
        if (change.data) table.set(change.id, Object.freeze({ ...change.data }) as AnyRow)
        else table.delete(change.id)
        this.#markDirty(change.model, change.id)
      }
      if (entry.txId !== null) {
        const tx = this.#pending.get(entry.txId)
        if (tx) this.#removePending(tx)
      }
      cursor = entry.syncId
    }
    this.#cursorAtom.set(cursor)
    this.#prune()
    this.#flush()
  }

  /** Replace confirmed state with a full snapshot (first connect, or resync). */
  applyBootstrap(syncId: number, rows: Record<string, readonly AnyRow[]>): void {
    for (const [model, table] of this.#confirmed) {
      for (const id of table.keys()) this.#markDirty(model, id)
      table.clear()
      for (const row of rows[model] ?? []) {
        table.set(row.id, Object.freeze({ ...row }) as AnyRow)
        this.#markDirty(model, row.id)
      }
    }
    this.#cursorAtom.set(syncId)
    this.#prune()
    this.#flush()
  }

  /** Rows fetched by retrieve/list: taken when newer than what the graph holds. */
  mergeFetched(model: string, rows: readonly AnyRow[]): void {
    const table = this.#confirmed.get(model)
    if (!table) return
    for (const row of rows) {
      const have = table.get(row.id)
      if (have ? row.syncId > have.syncId : row.syncId > this.cursor) {
        table.set(row.id, Object.freeze({ ...row }) as AnyRow)
        this.#markDirty(model, row.id)
      }
    }
    this.#flush()
  }

  /** A dirty row's new visible state: its appended ops on top of what is visible, or a full fold of its queue. */
  #fold({ model, id, appended }: Dirty): AnyRow | undefined {
    let row = appended ? this.#visible.get(model)!.get(id) : this.#confirmed.get(model)!.get(id)
    for (const { tx, op } of appended ?? this.#rowOps.get(key(model, id)) ?? []) row = applyOp(row, op, tx.at)
    return row && !Object.isFrozen(row) ? Object.freeze(row) : row
  }

  /** Recompute dirty rows, then notify: all maps first, so listeners see one consistent state. */
  #flush(): void {
    if (this.#dirty.size === 0) return
    const changedRows: Array<[string, AnyRow | undefined]> = []
    const changedModels = new Set<string>()
    for (const [k, dirty] of this.#dirty) {
      const { model, id } = dirty
      const visible = this.#visible.get(model)!
      const before = visible.get(id)
      const after = this.#fold(dirty)
      if (before === after || (before && after && jsonEqual(before, after))) continue
      if (after) visible.set(id, after)
      else visible.delete(id)
      changedRows.push([k, after])
      changedModels.add(model)
    }
    this.#dirty.clear()
    for (const [k, row] of changedRows) this.#rowAtoms.get(k)?.set(row)
    for (const m of changedModels) {
      const a = this.#modelAtoms.get(m)!
      a.set(a.get() + 1)
    }
  }

  /** Plain JSON of the visible graph: rows of each model sorted by id. */
  snapshot(): Record<string, AnyRow[]> {
    const out: Record<string, AnyRow[]> = {}
    for (const [model, table] of this.#visible) {
      out[model] = [...table.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => ({ ...r }))
    }
    return out
  }
}
