/** @module WebSocket frames (protocol version 1), parsed with zod at both ends. */
import { z } from 'zod'
import { commitParamsSchema } from './commit.ts'
import { wireErrorSchema } from './errors.ts'
import { logEntrySchema, rowSchema } from './log.ts'
import { actorSchema } from './participant.ts'
import { participantSchema } from './participant.ts'
import { presenceDiffFrameSchema, presenceFrameSchema, presenceSetParamsSchema } from './presence.ts'
import { claimHeartbeatParamsSchema, claimReleaseParamsSchema, claimReorderParamsSchema, claimRequestSchema, claimsFrameSchema } from './claims.ts'

export const protocolVersion = 1 as const
export const subprotocol = 'tandem.v1'

/** First frame on every socket: credentials and where the client left off. */
export const helloFrameSchema = z.strictObject({
  type: z.literal('hello'),
  protocol: z.literal(protocolVersion),
  token: z.string().min(1).max(4096),
  cursor: z.number().int().nonnegative().nullable(),
  participant: participantSchema.optional(),
})

export const rpcMethods = ['commit', 'retrieve', 'list', 'claim', 'claim_release', 'claim_heartbeat', 'claim_reorder', 'presence_set'] as const
export type RpcMethod = (typeof rpcMethods)[number]
/** The read methods, answered over the socket or by `GET` (see `readPath`). */
export type ReadMethod = Extract<RpcMethod, 'retrieve' | 'list'>
/** The claim methods. */
export type ClaimMethod = Extract<RpcMethod, `claim${string}`>

export const retrieveParamsSchema = z.strictObject({
  model: z.string(),
  id: z.string(),
  ifClaimed: z.enum(['return', 'wait', 'fail']).optional(),
  timeoutMs: z.number().int().positive().optional(),
})
export const listParamsSchema = z.strictObject({
  model: z.string(),
  where: z.unknown().optional(),
  orderBy: z.unknown().optional(),
  limit: z.number().int().positive().max(1000).optional(),
  cursor: z.string().max(2048).optional(),
})
export type ListParams = z.infer<typeof listParamsSchema>

export const rpcFrameSchema = z.discriminatedUnion('method', [
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('commit'), params: commitParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('retrieve'), params: retrieveParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('list'), params: listParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('claim'), params: claimRequestSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('claim_release'), params: claimReleaseParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('claim_heartbeat'), params: claimHeartbeatParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('claim_reorder'), params: claimReorderParamsSchema }),
  z.strictObject({ type: z.literal('rpc'), id: z.number().int(), method: z.literal('presence_set'), params: presenceSetParamsSchema }),
])
export type RpcFrame = z.infer<typeof rpcFrameSchema>

export const pingFrameSchema = z.strictObject({ type: z.literal('ping'), t: z.number().optional() })

// Discriminated on `type` (then `method`): a frame is checked against one schema, not tried against each.
export const clientFrameSchema = z.discriminatedUnion('type', [helloFrameSchema, rpcFrameSchema, pingFrameSchema])
export type ClientFrame = z.infer<typeof clientFrameSchema>

export const welcomeFrameSchema = z.object({
  type: z.literal('welcome'),
  protocol: z.literal(protocolVersion),
  actor: actorSchema,
  syncId: z.number(),
  /** When the credential stops working (ms since epoch); absent for secret keys. */
  expiresAt: z.number().optional(),
})
export const bootstrapFrameSchema = z.object({
  type: z.literal('bootstrap'),
  syncId: z.number(),
  rows: z.record(z.string(), z.array(rowSchema)),
})
export const changesFrameSchema = z.object({ type: z.literal('changes'), entries: z.array(logEntrySchema) })
/** The cursor is older than the log keeps (compacted): a bootstrap follows; pending writes are kept. */
export const resyncFrameSchema = z.object({ type: z.literal('resync'), reason: z.string() })
/** Sent once catch-up (bootstrap or changes after the cursor) is complete. */
export const syncedFrameSchema = z.object({ type: z.literal('synced'), syncId: z.number() })
export const resultFrameSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(false), error: wireErrorSchema }),
])
export const pongFrameSchema = z.object({ type: z.literal('pong'), t: z.number().optional() })
/** A fatal error; the server closes the socket after it. */
export const errorFrameSchema = z.object({ type: z.literal('error'), error: wireErrorSchema })

export const serverFrameSchema = z.discriminatedUnion('type', [
  claimsFrameSchema,
  presenceFrameSchema,
  presenceDiffFrameSchema,
  resyncFrameSchema,
  welcomeFrameSchema,
  bootstrapFrameSchema,
  changesFrameSchema,
  syncedFrameSchema,
  resultFrameSchema,
  pongFrameSchema,
  errorFrameSchema,
])
export type ServerFrame = z.infer<typeof serverFrameSchema>
export type WireRowT = z.infer<typeof rowSchema>
