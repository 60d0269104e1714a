/**
 * @module `POST /v1/runs/:runId/revert`: put back every row the run changed, as it was before the run, in one
 * commit, except what someone else changed since (field by field) or holds a claim on: those are reported.
 *
 * The plan is made from the log (the run's entries by the run index, then every later entry on the rows it
 * touched), then committed through the pipeline with each operation guarded by `readAt` = the head the plan
 * was made at. A write that lands in between makes the commit fail as stale; the plan is then made again.
 */
import { TandemConflictError, TandemError, TandemNotFoundError } from '../../errors/index.ts'
import { type Actor, type Change, type LogEntry, type Operation, type RunRevertConflict, type RunRevertResult, writeTouches } from '../../protocol/index.ts'
import { shapeKinds } from '../../schema/field-kind.ts'
import type { Schema } from '../../schema/model.ts'
import type { Session } from '../identity/session.ts'
import type { ServerContext } from '../server-context.ts'
import { getVisibleRow, groupsVisible } from '../store.ts'
import { readWholeRun, runCompactedThrough, scanLog } from './run-history.ts'

const system = new Set(['id', 'createdAt', 'updatedAt', 'syncId'])
/** Plans made again after a concurrent write before giving up. */
const maxAttempts = 5
const retriedCodes = new Set(['stale_context', 'already_exists', 'not_found', 'entity_claimed', 'claim_conflict'])

/** What the run did to one row. */
interface RowHistory {
  model: string
  id: string
  createdByRun: boolean
  /** The row's value of each field before the run first changed it. */
  before: Record<string, unknown>
  /** Where the run first changed each field (a create or delete changes every field). */
  fieldSince: Map<string, number>
  firstSyncId: number
  /** The row as the run's last delete of it found it (to re-create it from). */
  deleted: Record<string, unknown> | null
  /** The first change by someone else that replaced the row as a whole (a delete or re-create), or touched a row the run created. */
  rowConflict: { syncId: number; actor: Actor } | null
  /** Per field: the first change by someone else after the run's first change of it. */
  fieldConflicts: Map<string, { syncId: number; actor: Actor }>
}

interface Plan {
  operations: Operation[]
  reverted: RunRevertResult['reverted']
  conflicts: RunRevertConflict[]
}

const rowKey = (model: string, id: string) => `${model}\u0000${id}`
const userFields = (row: Record<string, unknown> | null) => Object.keys(row ?? {}).filter((f) => !system.has(f))

function visibleChange(change: Change, session: Session): boolean {
  return groupsVisible(change.groups, session.groups) || (change.previousGroups !== undefined && groupsVisible(change.previousGroups, session.groups))
}

/** Fold the run's own changes (after its last revert) into one history per row. */
function runHistories(entries: readonly LogEntry[], session: Session): Map<string, RowHistory> {
  const rows = new Map<string, RowHistory>()
  for (const entry of entries) {
    for (const change of entry.changes) {
      if (!visibleChange(change, session)) continue
      const key = rowKey(change.model, change.id)
      let h = rows.get(key)
      if (!h) {
        h = {
          model: change.model,
          id: change.id,
          createdByRun: change.op === 'create',
          before: {},
          fieldSince: new Map(),
          firstSyncId: entry.syncId,
          deleted: null,
          rowConflict: null,
          fieldConflicts: new Map(),
        }
        rows.set(key, h)
      }
      const touched = change.op === 'update' ? Object.keys(change.previous ?? {}) : userFields(change.data ?? change.previous)
      for (const f of touched) {
        if (h.fieldSince.has(f)) continue
        h.fieldSince.set(f, entry.syncId)
        if (!h.createdByRun && change.op !== 'create') h.before[f] = change.previous?.[f] ?? null
      }
      h.deleted = change.op === 'delete' ? (change.previous ?? {}) : null
    }
  }
  return rows
}

/** Mark, on each row history, what others changed after the run did. */
async function findOverwrites(ctx: ServerContext, runId: string, rows: Map<string, RowHistory>, after: number): Promise<void> {
  await scanLog(ctx.store, after, (entry) => {
    if (entry.runId === runId) return
    for (const change of entry.changes) {
      const h = rows.get(rowKey(change.model, change.id))
      if (!h || entry.syncId <= h.firstSyncId) continue
      const by = { syncId: entry.syncId, actor: entry.actor }
      if (h.createdByRun || change.op !== 'update') {
        h.rowConflict ??= by
        continue
      }
      for (const f of Object.keys(change.previous ?? {})) {
        const since = h.fieldSince.get(f)
        if (since !== undefined && entry.syncId > since && !h.fieldConflicts.has(f)) h.fieldConflicts.set(f, by)
      }
    }
  })
}

/** Fields an update cannot put back: absent before the run (recorded as null) on a field that does not accept null. */
function unrestorable(schema: Schema, model: string, values: Record<string, unknown>): string[] {
  const kinds = shapeKinds(schema.models[model]!.shape)
  return Object.keys(values).filter((f) => values[f] === null && !kinds[f]?.nullable)
}

async function claimedConflicts(ctx: ServerContext, op: Operation, fields: string[] | null): Promise<RunRevertConflict[]> {
  const out: RunRevertConflict[] = []
  for (const active of await ctx.claims.claims.activeOn(op.model, op.id!)) {
    if (!writeTouches(active.state.target, fields)) continue
    const field = active.state.target.field
    out.push({ model: op.model, id: op.id!, ...(field !== undefined ? { field } : {}), reason: 'claimed', heldBy: active.state.heldBy })
  }
  return out
}

async function plan(ctx: ServerContext, session: Session, runId: string): Promise<Plan | null> {
  const all = await readWholeRun(ctx.store, runId)
  const visible = all.filter((e) => e.changes.some((c) => visibleChange(c, session)))
  if (visible.length === 0) return null
  const lastRevert = all.findLast((e) => e.runRevert)
  const pending = all.filter((e) => !e.runRevert && e.syncId > (lastRevert?.syncId ?? 0))
  const compacted = await runCompactedThrough(ctx.store, runId)
  if (compacted !== null && lastRevert === undefined) {
    throw new TandemConflictError({
      code: 'history_compacted',
      message: `Run "${runId}" has log entries up to syncId ${compacted} that log compaction removed; it cannot be reverted as a whole`,
      param: 'runId',
      details: { runId, compactedThrough: compacted },
    })
  }
  const head = await ctx.store.headSyncId()
  const rows = runHistories(pending, session)
  const out: Plan = { operations: [], reverted: [], conflicts: [] }
  if (rows.size === 0) return out
  await findOverwrites(ctx, runId, rows, Math.min(...[...rows.values()].map((h) => h.firstSyncId)))
  for (const h of rows.values()) {
    const { model, id } = h
    if (!ctx.schema.models[model]) continue // a model since removed from the schema has no table to write
    if (h.rowConflict) {
      out.conflicts.push({ model, id, reason: 'overwritten', ...h.rowConflict })
      continue
    }
    const current = await getVisibleRow(ctx.store, model, id, session.groups)
    let op: Operation | null = null
    let fields: string[] | undefined
    if (h.createdByRun) {
      if (current) op = { op: 'delete', model, id, readAt: head }
    } else if (!current) {
      // The run deleted it last (a delete by anyone else is a row conflict): bring it back as it was before the run.
      const data: Record<string, unknown> = {}
      for (const f of userFields(h.deleted)) data[f] = h.deleted![f]
      Object.assign(data, h.before)
      for (const f of unrestorable(ctx.schema, model, data)) delete data[f]
      op = { op: 'create', model, id, data }
    } else {
      for (const [field, by] of h.fieldConflicts) out.conflicts.push({ model, id, field, reason: 'overwritten', ...by })
      const data: Record<string, unknown> = {}
      for (const f of Object.keys(h.before)) if (!h.fieldConflicts.has(f) && Object.hasOwn(ctx.schema.models[model]!.shape, f)) data[f] = h.before[f]
      for (const f of unrestorable(ctx.schema, model, data)) {
        delete data[f]
        out.conflicts.push({ model, id, field: f, reason: 'unrestorable' })
      }
      fields = Object.keys(data)
      if (fields.length) op = { op: 'update', model, id, data, readAt: head }
    }
    if (!op) continue
    const claimed = op.op === 'create' ? [] : await claimedConflicts(ctx, op, op.op === 'update' ? fields! : null)
    if (claimed.length) {
      out.conflicts.push(...claimed)
      continue
    }
    out.operations.push(op)
    out.reverted.push({ model, id, op: op.op, ...(op.op === 'update' ? { fields: fields! } : {}) })
  }
  return out
}

/**
 * Revert `runId` for `session`: one commit (its log entry carries the runId and `runRevert`), or none when
 * nothing is left to revert. Rows outside the session's groups are neither seen nor reverted; a run with no
 * change the session can see is `not_found`.
 */
export async function revertRun(ctx: ServerContext, session: Session, runId: string): Promise<RunRevertResult> {
  for (let attempt = 1; ; attempt++) {
    const p = await plan(ctx, session, runId)
    if (!p) throw new TandemNotFoundError({ code: 'not_found', message: `Run "${runId}" not found`, param: 'runId' })
    if (p.operations.length === 0) return { object: 'run_revert', runId, syncId: null, reverted: p.reverted, conflicts: p.conflicts }
    try {
      const result = await ctx.pipeline.submit(session, { operations: p.operations, runId }, undefined, 'http', { runRevert: true })
      return { object: 'run_revert', runId, syncId: result.syncId, reverted: p.reverted, conflicts: p.conflicts }
    } catch (error) {
      // Someone wrote one of these rows (or claimed it) after the plan was made: plan again from the log.
      if (attempt >= maxAttempts || !(error instanceof TandemError) || !retriedCodes.has(error.code)) throw error
    }
  }
}
