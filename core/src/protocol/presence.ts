/**
 * @module Presence on the wire: who is connected and what they look at or
 * intend. Ephemeral (never in the log), scoped by sync groups. Over the
 * WebSocket: the `presence_set` request and the `presence` / `presence_diff`
 * frames; over HTTP: `GET|PUT /v1/presence`, `DELETE /v1/presence/{connectionId}`.
 */
import { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'
import type { Schema } from '../schema/model.ts'
import { checkClaimTarget } from './claim-rules.ts'
import { participantKindSchema } from './participant.ts'

/** Longest intent `action`, in characters. */
export const maxPresenceActionLength = 200

/** What a participant looks at or intends: a row, maybe one field, and free text. */
export const presenceIntentSchema = z.strictObject({
  model: z.string().min(1).max(128),
  id: z.string().min(1).max(128),
  field: z.string().min(1).max(128).optional(),
  action: z.string().max(maxPresenceActionLength).optional(),
})
export type PresenceIntent = z.infer<typeof presenceIntentSchema>

/** One connection as a viewer sees it (the client adds `self`). */
export const presenceWireEntrySchema = z.object({
  connectionId: z.string(),
  participant: z.object({ id: z.string(), kind: participantKindSchema, name: z.string().optional() }),
  /** Null when none is set, or when the row is invisible to the viewer. */
  intent: presenceIntentSchema.nullable(),
  connectedAt: z.string(),
  updatedAt: z.string(),
})
export type PresenceWireEntry = z.infer<typeof presenceWireEntrySchema>

/** A presence entry on the client: `self` marks this client's own connection. */
export type PresenceEntry = PresenceWireEntry & { self: boolean }

/** Client → server (`rpc` method `presence_set`): set or clear (`null`) this connection's intent. */
export const presenceSetParamsSchema = z.strictObject({ intent: presenceIntentSchema.nullable() })
export type PresenceSetParams = z.infer<typeof presenceSetParamsSchema>

/** What `presence_set` answers. */
export const presenceSetResultSchema = z.object({ connectionId: z.string() })

/** Server → client: everything this connection may see, replacing what it knew (on join). */
export const presenceFrameSchema = z.object({
  type: z.literal('presence'),
  /** This connection's own id (its entry is among `entries`). */
  self: z.string(),
  entries: z.array(presenceWireEntrySchema),
})
export type PresenceFrame = z.infer<typeof presenceFrameSchema>

/** Server → client: what changed since the last frame (coalesced per tick). */
export const presenceDiffFrameSchema = z.object({
  type: z.literal('presence_diff'),
  upsert: z.array(presenceWireEntrySchema),
  remove: z.array(z.string()),
})
export type PresenceDiffFrame = z.infer<typeof presenceDiffFrameSchema>

/** `GET /v1/presence`: the visible list and the registry's version (long-poll with `after` and `wait`). */
export const presenceListSchema = z.object({
  object: z.literal('presence'),
  /** Changes whenever the server's presence changes; pass it as `after` to wait for the next change. */
  version: z.number().int().nonnegative(),
  /** The caller's own entry, when `connectionId` named one it owns. */
  self: z.string().nullable(),
  data: z.array(presenceWireEntrySchema),
})
export type PresenceList = z.infer<typeof presenceListSchema>

/** `PUT /v1/presence`: register (no or unknown `connectionId`) or refresh an HTTP participant and set its intent. */
export const presencePutBodySchema = z.strictObject({
  connectionId: z.string().min(1).max(128).optional(),
  intent: presenceIntentSchema.nullable(),
})
export type PresencePutBody = z.infer<typeof presencePutBodySchema>

/** What `PUT /v1/presence` answers: the entry (its id to pass next time) and how long it lives without a refresh. */
export const presencePutResultSchema = z.object({
  object: z.literal('presence_entry'),
  connectionId: z.string(),
  ttlMs: z.number().int().positive(),
  entry: presenceWireEntrySchema,
})

/** What `DELETE /v1/presence/{connectionId}` answers. */
export const presenceDeletedSchema = z.object({ object: z.literal('presence_entry'), connectionId: z.string(), deleted: z.literal(true) })

/**
 * An intent checked against the schema, on both ends: its shape (`invalid_request`, e.g. an action over
 * 200 characters), its model (`unknown_model`) and field (`unknown_field`).
 */
export function checkPresenceIntent(schema: Schema, value: unknown): PresenceIntent {
  const parsed = presenceIntentSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const param = issue.path.map(String).join('.')
    throw new TandemValidationError({
      code: 'invalid_request',
      message: `Invalid presence intent${param ? ` at "${param}"` : ''}: ${issue.message}`,
      ...(param ? { param } : {}),
    })
  }
  checkClaimTarget(schema, parsed.data)
  return parsed.data
}
