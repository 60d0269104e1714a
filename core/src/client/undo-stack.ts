/**
 * @module `tandem.undo()` / `tandem.redo()`: a local stack of this client's own writes, undone by their inverse
 * operations. Each commit (every operation of it) is one step. An inverse never overwrites a change made by
 * someone else since: the stack watches the log, and a step whose rows (or fields) someone else changed is
 * reported as a conflict instead of applied; the inverse also carries `readAt`, so a change not seen yet fails
 * it on the server as `stale_context`, reported the same way.
 */
import { atom } from 'nanostores'
import { TandemStaleContextError, toTandemError } from '../errors/index.ts'
import type { CommitResult, LogEntry } from '../protocol/index.ts'
import type { AnyRow } from '../schema/types.ts'
import type { ClientOperation } from './local-graph.ts'
import type { UndoConflict, UndoResult } from './types.ts'

const system = new Set(['id', 'createdAt', 'updatedAt', 'syncId'])
const rowKey = (model: string, id: string) => `${model}\u0000${id}`

/** One operation of a step, with what undoes it. */
interface StepOp {
  model: string
  id: string
  /** Applied by `undo()` (then by `redo()`, after the swap). */
  back: ClientOperation
  forth: ClientOperation
}

interface Step {
  ops: StepOp[]
  /** The commit that made the state this step undoes (its write, or the undo / redo that moved it here). */
  txId: string
  confirmed: Promise<CommitResult>
  /** Per row: the log position the step's state is at, as far as this client knows (from its own writes and harmless ones by others). */
  readAt: Map<string, number>
  /** What someone else changed since, per row (`field` absent: the whole row). */
  conflicts: UndoConflict[]
  /** The run of the original write: its undo and redo belong to the same run. */
  runId: string | undefined
}

export interface UndoStackOptions {
  /** Send a commit without recording it (undo and redo commits are not new steps), in the run of the write it undoes. */
  send(operations: ClientOperation[], runId: string | undefined): { txId: string; confirmed: Promise<CommitResult> }
  /** The row as this client sees it now, before a write. */
  row(model: string, id: string): AnyRow | undefined
  limit: number
}

/** The inverse of each operation, computed against the rows as they are before the write, in undo order. */
function inverses(operations: readonly ClientOperation[], row: UndoStackOptions['row']): StepOp[] {
  const state = new Map<string, AnyRow | undefined>()
  const current = (model: string, id: string) => {
    const k = rowKey(model, id)
    return state.has(k) ? state.get(k) : row(model, id)
  }
  const ops: StepOp[] = []
  for (const op of operations) {
    const before = current(op.model, op.id)
    const forth: ClientOperation = { op: op.op, model: op.model, id: op.id, ...(op.data ? { data: op.data } : {}) }
    if (op.op === 'create') {
      ops.push({ model: op.model, id: op.id, back: { op: 'delete', model: op.model, id: op.id }, forth })
      state.set(rowKey(op.model, op.id), { ...(op.data ?? {}), id: op.id } as AnyRow)
    } else if (op.op === 'delete') {
      if (!before) continue
      const data = Object.fromEntries(Object.entries(before).filter(([k]) => !system.has(k)))
      ops.push({ model: op.model, id: op.id, back: { op: 'create', model: op.model, id: op.id, data }, forth })
      state.set(rowKey(op.model, op.id), undefined)
    } else {
      if (!before) continue
      // A field that had no value cannot be removed again by an update; it is left as the write set it.
      const data = Object.fromEntries(Object.keys(op.data ?? {}).flatMap((k) => (before[k] === undefined ? [] : [[k, before[k]]])))
      ops.push({ model: op.model, id: op.id, back: { op: 'update', model: op.model, id: op.id, data }, forth })
      state.set(rowKey(op.model, op.id), { ...before, ...op.data } as AnyRow)
    }
  }
  return ops.reverse()
}

/** Fields an operation writes; null for a create or delete (the whole row). */
const fieldsOf = (op: ClientOperation): string[] | null => (op.op === 'update' ? Object.keys(op.data ?? {}) : null)

export class UndoStack {
  readonly #o: UndoStackOptions
  #undo: Step[] = []
  #redo: Step[] = []
  /** Commits this client made, to tell its own log entries from everyone else's. */
  #own = new Set<string>()
  #busy: Promise<unknown> = Promise.resolve()
  readonly canUndo = atom(false)
  readonly canRedo = atom(false)

  constructor(options: UndoStackOptions) {
    this.#o = options
  }

  /** Make a write through `write` (which applies it locally) and record it as a step. A new write clears the redo stack. */
  record<P extends { txId: string; confirmed: Promise<CommitResult> }>(operations: readonly ClientOperation[], runId: string | undefined, write: () => P): P {
    const ops = inverses(operations, this.#o.row)
    const pending = write()
    this.#remember(pending)
    if (ops.length === 0) return pending
    const step: Step = { ops, txId: pending.txId, confirmed: pending.confirmed, readAt: new Map(), conflicts: [], runId }
    // A refused write leaves nothing to undo.
    pending.confirmed.catch(() => this.#drop(step))
    this.#undo.push(step)
    if (this.#undo.length > this.#o.limit) this.#undo.shift()
    this.#redo = []
    this.#changed()
    return pending
  }

  /** Remember a write as this client's own until its log entry is seen (or it is refused): the set stays as small as what is in flight. */
  #remember(pending: { txId: string; confirmed: Promise<unknown> }): void {
    this.#own.add(pending.txId)
    pending.confirmed.catch(() => this.#own.delete(pending.txId))
  }

  /** Watch the log: own entries move the steps' `readAt` on; others' mark conflicts on the rows and fields they touch. */
  observe(entries: readonly LogEntry[]): void {
    // Steps by the rows they touch and by txId: an entry visits only the steps it can concern, not all of them.
    const byRow = new Map<string, Step[]>()
    const byTx = new Map<string, Step>()
    for (const step of [...this.#undo, ...this.#redo]) {
      byTx.set(step.txId, step)
      for (const k of new Set(step.ops.map((op) => rowKey(op.model, op.id)))) {
        const list = byRow.get(k)
        if (list) list.push(step)
        else byRow.set(k, [step])
      }
    }
    for (const entry of entries) {
      const own = entry.txId !== null && this.#own.has(entry.txId)
      // Seen once is enough: a duplicate delivery is at or below the steps' readAt, so it cannot look foreign.
      if (own) this.#own.delete(entry.txId!)
      const ownStep = own ? byTx.get(entry.txId!) : undefined
      if (ownStep) for (const op of ownStep.ops) ownStep.readAt.set(rowKey(op.model, op.id), entry.syncId)
      for (const change of entry.changes) {
        for (const step of byRow.get(rowKey(change.model, change.id)) ?? []) if (step !== ownStep) this.#see(step, entry, change, own)
      }
    }
  }

  #see(step: Step, entry: LogEntry, change: LogEntry['changes'][number], own: boolean): void {
    const key = rowKey(change.model, change.id)
    const at = step.readAt.get(key)
    // Before the step's own commit is in the log, nothing that happens to the row concerns it yet.
    if (at === undefined || entry.syncId <= at) return
    if (own) return void step.readAt.set(key, entry.syncId)
    const by = { syncId: entry.syncId, actor: entry.actor }
    const touched = change.op === 'update' ? Object.keys(change.previous ?? {}) : null
    let harmless = true
    for (const op of step.ops) {
      if (rowKey(op.model, op.id) !== key) continue
      const mine = fieldsOf(op.back)
      if (mine === null || touched === null) {
        harmless = false
        step.conflicts.push({ model: op.model, id: op.id, ...by })
        continue
      }
      for (const field of mine.filter((f) => touched.includes(f))) {
        harmless = false
        step.conflicts.push({ model: op.model, id: op.id, field, ...by })
      }
    }
    if (harmless) step.readAt.set(key, entry.syncId)
  }

  undo(): Promise<UndoResult> {
    return this.#serial(() => this.#move(this.#undo, this.#redo))
  }

  redo(): Promise<UndoResult> {
    return this.#serial(() => this.#move(this.#redo, this.#undo))
  }

  /** Forget every step. */
  clear(): void {
    this.#undo = []
    this.#redo = []
    this.#changed()
  }

  #serial(fn: () => Promise<UndoResult>): Promise<UndoResult> {
    const run = this.#busy.then(fn, fn)
    this.#busy = run.catch(() => undefined)
    return run
  }

  async #move(from: Step[], to: Step[]): Promise<UndoResult> {
    const step = from.at(-1)
    if (!step) return { status: 'empty' }
    let made: CommitResult
    try {
      made = await step.confirmed
    } catch {
      return this.#move(from, to) // refused, so dropped: try the one below
    }
    // Confirmed before its echo arrived: guard from the commit itself (the server refuses anything newer).
    for (const op of step.ops) if (!step.readAt.has(rowKey(op.model, op.id))) step.readAt.set(rowKey(op.model, op.id), made.syncId)
    if (step.conflicts.length) {
      from.pop()
      this.#changed()
      const once = new Map<string, UndoConflict>()
      for (const c of step.conflicts)
        if (!once.has(`${rowKey(c.model, c.id)}\u0000${c.field ?? ''}`)) once.set(`${rowKey(c.model, c.id)}\u0000${c.field ?? ''}`, c)
      return { status: 'conflict', conflicts: [...once.values()] }
    }
    const seen = new Set<string>()
    const operations = step.ops.map((op): ClientOperation => {
      const key = rowKey(op.model, op.id)
      const readAt = step.readAt.get(key)
      // Only the first operation on a row is guarded: the later ones see this commit's own change.
      if (seen.has(key) || readAt === undefined || op.back.op === 'create') return op.back
      seen.add(key)
      return { ...op.back, readAt, onStale: 'reject' }
    })
    from.pop()
    const pending = this.#o.send(operations, step.runId)
    this.#remember(pending)
    const next: Step = {
      ops: step.ops.map((op) => ({ ...op, back: op.forth, forth: op.back })).reverse(),
      txId: pending.txId,
      confirmed: pending.confirmed,
      readAt: new Map(),
      conflicts: [],
      runId: step.runId,
    }
    to.push(next)
    this.#changed()
    try {
      const result = await pending.confirmed
      return { status: 'applied', syncId: result.syncId, operations }
    } catch (error) {
      this.#drop(next)
      const e = toTandemError(error)
      if (e instanceof TandemStaleContextError) {
        const d = e.details as { model?: string; id?: string; currentSyncId?: number; conflicts?: Array<{ field: string }> } | undefined
        const conflicts: UndoConflict[] = (d?.conflicts?.length ? d.conflicts : [{ field: undefined }]).map((c) => ({
          model: d?.model ?? step.ops[0]!.model,
          id: d?.id ?? step.ops[0]!.id,
          ...(c.field !== undefined ? { field: c.field } : {}),
          ...(d?.currentSyncId !== undefined ? { syncId: d.currentSyncId } : {}),
        }))
        return { status: 'conflict', conflicts, error: e }
      }
      // Not a conflict (offline, claimed…): the step stays, to be tried again.
      from.push(step)
      this.#changed()
      return { status: 'failed', error: e }
    }
  }

  #drop(step: Step): void {
    for (const stack of [this.#undo, this.#redo]) {
      const i = stack.indexOf(step)
      if (i >= 0) stack.splice(i, 1)
    }
    this.#changed()
  }

  #changed(): void {
    this.canUndo.set(this.#undo.length > 0)
    this.canRedo.set(this.#redo.length > 0)
  }
}
