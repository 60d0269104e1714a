/** @module Commit requests and results, the same over HTTP and WebSocket. */
import { z } from 'zod'
import { rowSchema } from './log.ts'

export const onStaleSchema = z.enum(['reject', 'force', 'flag'])
export type OnStale = z.infer<typeof onStaleSchema>

/**
 * A row's fields, passed on as given: zod's record parsing would drop a
 * `__proto__` key (an own key after JSON.parse) without a word, where
 * validation refuses it like any unknown field.
 */
const operationDataSchema = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'Invalid input: expected an object',
})

export const operationSchema = z.strictObject({
  op: z.enum(['create', 'update', 'delete']),
  model: z.string().min(1).max(128),
  id: z.string().optional(),
  data: operationDataSchema.optional(),
  readAt: z.number().int().nonnegative().optional(),
  onStale: onStaleSchema.optional(),
  /**
   * The fencing token of the claim this operation writes under, when one commit writes rows held by different
   * claims (a client transaction); wins over the commit's `claimToken` for this operation.
   */
  claimToken: z
    .string()
    .max(512)
    .optional()
    .describe('Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation'),
})
export type Operation = z.infer<typeof operationSchema>

export const commitRequestSchema = z.strictObject({
  operations: z.array(operationSchema).min(1),
  claimToken: z.string().max(512).optional(),
  /** Client transaction id, echoed on the log entry (the WebSocket client sets it). */
  txId: z.string().max(128).optional(),
  /** Groups this commit with the other writes of one run (an agent's task), for `GET /v1/runs/:runId` and its revert. */
  /** Checked with `checkRunId` where the commit is handled, so a bad one fails as `invalid_data` (format: `runIdSchema`). */
  runId: z.string().max(1024).optional(),
})
export type CommitRequest = z.infer<typeof commitRequestSchema>

export const commitResultSchema = z.object({
  object: z.literal('commit'),
  syncId: z.number(),
  stale: z.boolean(),
  /** One entry per operation: the row after it, or null for a delete. */
  rows: z.array(rowSchema.nullable()),
})
export type CommitResult = z.infer<typeof commitResultSchema>

export const idempotencyKeySchema = z.string().min(1).max(255)

/** Most commits one `POST /v1/commits/batch` may carry. */
export const maxCommitsPerBatch = 100

/** A commit request with its own idempotency key: the WebSocket `commit` rpc, and one commit of a batch. */
export const commitParamsSchema = commitRequestSchema.extend({ idempotencyKey: idempotencyKeySchema.optional() })
export type CommitParams = z.infer<typeof commitParamsSchema>

/**
 * `POST /v1/commits/batch`: several commits in one request, applied in order, each atomic on its
 * own with its own idempotency key and its own result (one failing does not stop the rest).
 */
export const commitBatchRequestSchema = z.strictObject({ commits: z.array(commitParamsSchema).min(1).max(maxCommitsPerBatch) })
export type CommitBatchRequest = z.infer<typeof commitBatchRequestSchema>
