/** @module HTTP answers as zod schemas: the long-poll transport parses them, the OpenAPI document shows them. */
import { z } from 'zod'
import { claimStateSchema } from './claims.ts'
import { actorSchema } from './participant.ts'
import { logEntrySchema, rowSchema } from './log.ts'

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
