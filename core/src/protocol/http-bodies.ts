/** @module HTTP answers as zod schemas: the long-poll transport parses them, the OpenAPI document shows them. */
import { z } from 'zod'
import { claimStateSchema } from './claims.ts'
import { commitResultSchema } from './commit.ts'
import { wireErrorSchema } from './errors.ts'
import { actorSchema } from './participant.ts'
import { logEntrySchema, rowSchema } from './log.ts'
import { runIdSchema } from './run-id.ts'

/** `GET /v1/bootstrap`: every row the session can see, and the log position they are at. */
export const bootstrapBodySchema = z.object({
  object: z.literal('bootstrap'),
  syncId: z.number().int().nonnegative(),
  rows: z.record(z.string(), z.array(rowSchema)),
})

/** `GET /v1/changes`: a page of the log after a cursor; `resync` when the cursor is behind a compacted log or from the future. */
export const changesPageSchema = z.object({
  object: z.literal('list'),
  data: z.array(logEntrySchema),
  hasMore: z.boolean(),
  /** The next `after`. */
  cursor: z.number().int().nonnegative(),
  /** The newest position in the log. */
  syncId: z.number().int().nonnegative(),
  resync: z.boolean().optional(),
  /** The presence registry's version, when the poll named one in `presence`: a new value means presence changed. */
  presenceVersion: z.number().int().nonnegative().optional(),
})

/** `GET /v1/models/:model`: a page of rows. */
export const rowListSchema = z.object({ object: z.literal('list'), data: z.array(rowSchema), hasMore: z.boolean(), nextCursor: z.string().nullable() })

/** `GET /v1/claims?model&id`: a row's holder and line. */
export const rowClaimsSchema = z.object({ holder: claimStateSchema.nullable(), queue: z.array(claimStateSchema), claims: z.array(claimStateSchema) })

/** `GET /v1/claims/active`: every row with claims the session can see. */
export const activeClaimsSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ model: z.string(), id: z.string(), claims: z.array(claimStateSchema) })),
})

/** `POST /v1/claims`: the granted claim, its fencing token and the row re-read at grant time. */
export const claimAnswerSchema = claimStateSchema.extend({ token: z.string(), data: rowSchema })

/** `POST /v1/claims/reorder`: the line after the reorder. */
export const claimQueueSchema = z.object({ object: z.literal('claim_queue'), claims: z.array(claimStateSchema) })

/** `GET /v1/runs/:runId?after&limit`: a page of the run's commits in log order, each with the changes the session can see. */
export const runChangesPageSchema = z.object({
  object: z.literal('list'),
  runId: runIdSchema,
  data: z.array(logEntrySchema),
  hasMore: z.boolean(),
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: z.number().int().nonnegative().nullable(),
})
export type RunChangesPage = z.infer<typeof runChangesPageSchema>

/** One row (or field of a row) `POST /v1/runs/:runId/revert` left alone, and why. */
export const runRevertConflictSchema = z.object({
  model: z.string(),
  id: z.string(),
  /** Set when only this field conflicts (the run's other fields of the row were reverted). */
  field: z.string().optional(),
  /**
   * `overwritten`: someone outside the run changed it since; `claimed`: someone holds a claim on it;
   * `unrestorable`: the field had no value before the run and an update cannot remove a field.
   */
  reason: z.enum(['overwritten', 'claimed', 'unrestorable']),
  /** For `overwritten`: the first later change by someone else, and who made it. */
  syncId: z.number().int().positive().optional(),
  actor: actorSchema.optional(),
  /** For `claimed`: the claim's holder. */
  heldBy: claimStateSchema.shape.heldBy.optional(),
})
export type RunRevertConflict = z.infer<typeof runRevertConflictSchema>

/** `POST /v1/runs/:runId/revert`: what one commit put back, and what it left alone. */
export const runRevertResultSchema = z.object({
  object: z.literal('run_revert'),
  runId: runIdSchema,
  /** The revert's commit, or null when there was nothing to revert (e.g. reverted already). */
  syncId: z.number().int().positive().nullable(),
  reverted: z.array(
    z.object({
      model: z.string(),
      id: z.string(),
      /** What the revert did to the row: deleted what the run created, re-created what it deleted, or restored fields. */
      op: z.enum(['create', 'update', 'delete']),
      fields: z.array(z.string()).optional(),
    }),
  ),
  conflicts: z.array(runRevertConflictSchema),
})
export type RunRevertResult = z.infer<typeof runRevertResultSchema>

/** `POST /v1/runs/:runId/revert`: no options yet (an empty body or `{}`). */
export const runRevertRequestSchema = z.strictObject({})

/** `POST /v1/commits/batch`: one result per commit, in order: the commit, or why it was refused (with the HTTP status it would have had alone). */
export const commitBatchResultSchema = z.object({
  object: z.literal('commit_batch'),
  results: z.array(
    z.discriminatedUnion('object', [commitResultSchema, z.object({ object: z.literal('error'), status: z.number().int(), error: wireErrorSchema })]),
  ),
})
export type CommitBatchResult = z.infer<typeof commitBatchResultSchema>
/** One item of `GET /v1/audit`: a change of the row, or a claim event on it. */
export const auditItemSchema = z.union([
  z.object({
    syncId: z.number().int().positive(),
    op: z.enum(['create', 'update', 'delete']),
    actor: actorSchema,
    stale: z.boolean(),
    createdAt: z.string(),
    previous: z.record(z.string(), z.unknown()).nullable(),
    data: rowSchema.nullable(),
  }),
  z.object({
    syncId: z.number().int().positive(),
    op: z.enum(['claim.queued', 'claim.granted', 'claim.released', 'claim.expired', 'claim.canceled']),
    actor: actorSchema,
    createdAt: z.string(),
    claim: claimStateSchema,
  }),
])

/** `GET /v1/audit`: the newest `limit` items, oldest first. */
export const auditPageSchema = z.object({ object: z.literal('list'), data: z.array(auditItemSchema), hasMore: z.boolean() })

/** `GET /healthz`. */
export const healthSchema = z.object({ ok: z.literal(true), store: z.string(), syncId: z.number().int().nonnegative() })
