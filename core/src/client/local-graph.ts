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

export class LocalGraph {
  #confirmed = new Map<string, Map<string, AnyRow>>()
  #visible = new Map<string, Map<string, AnyRow>>()
  #pending: PendingTx[] = []
  /** How many pending ops touch each row. */
  #pendingRows = new Map<string, number>()
  #rowAtoms = new Map<string, WritableAtom<AnyRow | undefined>>()
  #modelAtoms = new Map<string, WritableAtom<number>>()
  #dirty = new Map<string, { model: string; id: string }>()
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
    return this.#pending
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

  #markDirty(model: string, id: string): void {
    this.#dirty.set(key(model, id), { model, id })
  }

  /** Apply a local write optimistically (`front`: before every queued write, for writes restored after a reload). */
  addPending(tx: PendingTx, front = false): void {
    if (front) this.#pending.unshift(tx)
    else this.#pending.push(tx)
    for (const op of tx.operations) {
      const k = key(op.model, op.id)
      this.#pendingRows.set(k, (this.#pendingRows.get(k) ?? 0) + 1)
      this.#markDirty(op.model, op.id)
    }
    this.#flush()
  }

  #removePending(index: number): void {
    const [tx] = this.#pending.splice(index, 1)
    for (const op of tx!.operations) {
      const k = key(op.model, op.id)
      const n = (this.#pendingRows.get(k) ?? 1) - 1
      if (n <= 0) this.#pendingRows.delete(k)
      else this.#pendingRows.set(k, n)
      this.#markDirty(op.model, op.id)
    }
  }

  /** The server committed `txId` at `syncId`. */
  confirm(txId: string, syncId: number): void {
    const tx = this.#pending.find((t) => t.txId === txId)
    if (!tx) return
    tx.syncId = syncId
    this.#prune()
    this.#flush()
  }

  /** The server refused `txId`: roll its ops back. */
  reject(txId: string): void {
    const i = this.#pending.findIndex((t) => t.txId === txId)
    if (i >= 0) this.#removePending(i)
    this.#flush()
  }

  /** Drop txs the confirmed state already contains. */
  #prune(): void {
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const s = this.#pending[i]!.syncId
      if (s !== undefined && s <= this.cursor) this.#removePending(i)
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
        const i = this.#pending.findIndex((t) => t.txId === entry.txId)
        if (i >= 0) this.#removePending(i)
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

  #fold(model: string, id: string): AnyRow | undefined {
    let row = this.#confirmed.get(model)!.get(id)
    if (!this.#pendingRows.has(key(model, id))) return row
    for (const tx of this.#pending) {
      for (const op of tx.operations) {
        if (op.model !== model || op.id !== id) continue
        if (op.op === 'delete') row = undefined
        else if (op.op === 'create') row = { ...op.data, id, createdAt: tx.at, updatedAt: tx.at, syncId: row?.syncId ?? 0 } as AnyRow
        else if (row) row = { ...row, ...op.data, updatedAt: tx.at }
      }
    }
    return row && !Object.isFrozen(row) ? Object.freeze(row) : row
  }

  /** Recompute dirty rows, then notify: all maps first, so listeners see one consistent state. */
  #flush(): void {
    if (this.#dirty.size === 0) return
    const changedRows: Array<[string, AnyRow | undefined]> = []
    const changedModels = new Set<string>()
    for (const [k, { model, id }] of this.#dirty) {
      const visible = this.#visible.get(model)!
      const before = visible.get(id)
      const after = this.#fold(model, id)
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
