/** @module Claims on the wire: targets, states, requests, and the `claims` broadcast frame. */
import { z } from 'zod'
import { claimTimeoutLimits, claimTtlLimits, durationSchema } from './duration.ts'
import { participantKindSchema } from './participant.ts'

export const claimTargetSchema = z.strictObject({
  model: z.string().min(1).max(128),
  id: z.string().min(1).max(128),
  field: z.string().min(1).max(128).optional(),
})
export type ClaimTarget = z.infer<typeof claimTargetSchema>

export const claimStatusSchema = z.enum(['active', 'queued', 'released', 'expired', 'canceled'])
export type ClaimStatus = z.infer<typeof claimStatusSchema>

/** What everyone who can see the row learns about a claim. */
export const claimStateSchema = z.object({
  id: z.string(),
  status: claimStatusSchema,
  target: claimTargetSchema,
  action: z.string(),
  heldBy: z.object({ id: z.string(), kind: participantKindSchema, name: z.string().optional() }),
  /** 0 for the holder; for a waiter, how many conflicting claims are ahead of it. */
  position: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** When the lease runs out unless renewed (ISO); null while queued. */
  expiresAt: z.string().nullable(),
})
export type ClaimState = z.infer<typeof claimStateSchema>

/** A lease: milliseconds or `'500ms'`, `'30s'`, `'2m'`, `'1h'`, up to 24 h. */
export const claimTtlSchema = durationSchema(claimTtlLimits)
/** How long to wait in line, in the same forms, up to 24 h. */
export const claimTimeoutSchema = durationSchema(claimTimeoutLimits)

export const claimRequestSchema = claimTargetSchema.extend({
  action: z.string().max(500).optional(),
  wait: z.boolean().optional(),
  maxQueueDepth: z.number().int().positive().optional(),
  ttl: claimTtlSchema.optional(),
  timeoutMs: claimTimeoutSchema.optional(),
})
export type ClaimRequest = z.input<typeof claimRequestSchema>
/** A claim request after parsing: durations in milliseconds. */
export type ParsedClaimRequest = z.output<typeof claimRequestSchema>

/** A granted claim: its state, the fencing token writes must carry, and the row re-read at grant time. */
export const claimGrantSchema = z.object({
  claim: claimStateSchema,
  token: z.string(),
  /** Lease length in ms: heartbeat well within it. */
  ttlMs: z.number().optional(),
  data: z.record(z.string(), z.unknown()),
})
export type ClaimGrant = z.infer<typeof claimGrantSchema>

/** Server → client: every claim (holders and waiters) on one row, replacing what the client knew. */
export const claimsFrameSchema = z.object({
  type: z.literal('claims'),
  model: z.string(),
  id: z.string(),
  claims: z.array(claimStateSchema),
})
export type ClaimsFrame = z.infer<typeof claimsFrameSchema>

export const claimReleaseParamsSchema = z.strictObject({ claimId: z.string().max(128) })
export const claimHeartbeatParamsSchema = z.strictObject({ token: z.string().max(512) })
export const claimReorderParamsSchema = claimTargetSchema.extend({ order: z.array(z.string().max(128)).max(1000) })
export type ClaimReorderParams = z.infer<typeof claimReorderParamsSchema>

/** What a reorder answers, on both doors: the row's claims in their new order. */
export interface ClaimQueue {
  object: 'claim_queue'
  claims: ClaimState[]
}
