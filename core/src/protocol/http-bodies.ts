/** @module HTTP answers the long-poll transport reads, as zod schemas (the routes in core/src/server build them). */
import { z } from 'zod'
import { claimStateSchema } from './claims.ts'
import { logEntrySchema, rowSchema } from './log.ts'

/** `GET /v1/bootstrap`: every row the session can see, and the log position they are at. */
export const bootstrapBodySchema = z.object({ syncId: z.number().int().nonnegative(), rows: z.record(z.string(), z.array(rowSchema)) })

/** `GET /v1/changes`: a page of the log after a cursor; `resync` when the cursor is behind a compacted log or from the future. */
export const changesPageSchema = z.object({
  data: z.array(logEntrySchema),
  hasMore: z.boolean(),
  cursor: z.number().int().nonnegative(),
  resync: z.boolean().optional(),
})

/** `GET /v1/models/:model`: a page of rows. */
export const rowListSchema = z.object({ object: z.literal('list'), data: z.array(rowSchema), hasMore: z.boolean(), nextCursor: z.string().nullable() })

/** `GET /v1/claims?model&id`: a row's holder and line. */
export const rowClaimsSchema = z.object({ holder: claimStateSchema.nullable(), queue: z.array(claimStateSchema), claims: z.array(claimStateSchema) })

/** `GET /v1/claims/active`: every row with claims the session can see. */
export const activeClaimsSchema = z.object({ data: z.array(z.object({ model: z.string(), id: z.string(), claims: z.array(claimStateSchema) })) })

/** `POST /v1/claims`: the granted claim, its fencing token and the row re-read at grant time. */
export const claimAnswerSchema = claimStateSchema.extend({ token: z.string(), data: rowSchema })

/** `POST /v1/claims/reorder`: the line after the reorder. */
export const claimQueueSchema = z.object({ object: z.literal('claim_queue'), claims: z.array(claimStateSchema) })
