/** @module Participants and actors: who is connected, who made a change. */
import { z } from 'zod'
import { unstorableText } from '../internal/storable-text.ts'

export const participantKindSchema = z.enum(['human', 'agent'])
export type ParticipantKind = z.infer<typeof participantKindSchema>

/** Longest participant name, in characters (it goes into every log entry the participant writes). */
export const maxParticipantNameLength = 200

/**
 * Who is connected, as a client declares it: one schema for the WebSocket
 * hello, the `Tandem-Participant-*` headers and `POST /v1/sessions`.
 */
export const participantSchema = z.strictObject({
  kind: participantKindSchema,
  name: z
    .string()
    .max(maxParticipantNameLength)
    .superRefine((name, ctx) => {
      const reason = unstorableText(name)
      if (reason) ctx.addIssue({ code: 'custom', message: `a participant name ${reason}` })
    })
    .optional(),
})

/** A participant as declared: `{ kind: 'human' | 'agent', name? }`. */
export type Participant = z.infer<typeof participantSchema>

/** Who made a change. */
export const actorSchema = z.object({
  id: z.string(),
  kind: participantKindSchema,
  name: z.string().optional(),
  onBehalfOf: z.string().nullable().optional(),
  transport: z.enum(['websocket', 'http', 'server']).optional(),
})
export type Actor = z.infer<typeof actorSchema>
