/** @module The change log: what a commit leaves behind, what deltas and webhooks carry. */
import { z } from 'zod'

import { actorSchema } from './participant.ts'
import { claimStateSchema } from './claims.ts'
import { runIdSchema } from './run-id.ts'

/** A row on the wire: the system fields, then the model's fields. */
export const rowSchema = z
  .object({ id: z.string(), createdAt: z.string(), updatedAt: z.string(), syncId: z.number().int().nonnegative() })
  .catchall(z.unknown())
export type WireRow = z.infer<typeof rowSchema>

/** One row's change inside a log entry. */
export const changeSchema = z.object({
  model: z.string(),
  id: z.string(),
  op: z.enum(['create', 'update', 'delete']),
  /** The row after the change; null on delete. */
  data: rowSchema.nullable(),
  /** Old values of the fields the change touched; null on create. */
  previous: z.record(z.string(), z.unknown()).nullable(),
  /** Sync groups the row belongs to after the change (before it, on delete). */
  groups: z.array(z.string()),
  /** Set when the change moved the row between groups: the groups it had before. */
  previousGroups: z.array(z.string()).optional(),
})
export type Change = z.infer<typeof changeSchema>

/** One entry of the log: one commit, numbered by a gapless, increasing syncId. */
export const logEntrySchema = z.object({
  syncId: z.number().int().positive(),
  /** The client's transaction id, so the writer recognises its own echo. */
  txId: z.string().nullable(),
  actor: actorSchema,
  stale: z.boolean(),
  createdAt: z.string(),
  changes: z.array(changeSchema),
  /** The run the commit belongs to (`runId` on the commit), absent otherwise. */
  runId: runIdSchema.optional(),
  /** Set on the commit `POST /v1/runs/:runId/revert` made: it undid the run's changes before it. */
  runRevert: z.literal(true).optional(),
  /** Set on claim lifecycle entries (which carry no row changes). */
  claim: z
    .object({
      event: z.enum(['queued', 'granted', 'released', 'expired', 'canceled']),
      state: claimStateSchema,
      /** Sync groups of the claimed row: who may see this entry. */
      groups: z.array(z.string()),
    })
    .optional(),
})
export type LogEntry = z.infer<typeof logEntrySchema>
