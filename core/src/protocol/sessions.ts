/** @module Session tokens on the wire: sync groups, `POST /v1/sessions` and its answer. */
import { z } from 'zod'
import { unstorableText } from '../internal/storable-text.ts'
import { durationSchema, sessionTtlLimits } from './duration.ts'
import { participantSchema } from './participant.ts'

/** A sync group: a lowercase prefix, a colon, a value (`org:acme`, `user:42`). */
export const groupSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*:[^\s]{1,200}$/, 'a sync group like "org:acme" or "user:42"')
  .refine((g) => unstorableText(g) === null, 'a sync group of well-formed text without NUL')

/** `POST /v1/sessions`. */
export const sessionRequestSchema = z.strictObject({
  userId: z.string().min(1).max(200),
  groups: z.array(groupSchema).min(1).max(100),
  participant: participantSchema.optional(),
  onBehalfOf: z.string().min(1).max(200).optional(),
  /** Seconds, or a string like `"15m"`; default one hour, at least 2 s, at most seven days. */
  ttl: durationSchema(sessionTtlLimits).default(3600_000),
})

/** The minted token and what it is for (`201`). */
export const mintedSessionSchema = z.object({
  object: z.literal('session'),
  id: z.string(),
  token: z.string().describe('`ek_…`: give it to the browser or agent'),
  expiresAt: z.iso.datetime(),
  userId: z.string(),
  groups: z.array(z.string()),
  participant: participantSchema,
  onBehalfOf: z.string().nullable(),
})

/** `DELETE /v1/sessions/:id`. */
export const revokedSessionSchema = z.object({ object: z.literal('session'), id: z.string(), revoked: z.literal(true) })
