/** @module Participants and actors: who is connected, who made a change. */
import { z } from 'zod'

export const participantKindSchema = z.enum(['human', 'agent'])
export type ParticipantKind = z.infer<typeof participantKindSchema>

/** Who made a change. */
export const actorSchema = z.object({
  id: z.string(),
  kind: participantKindSchema,
  name: z.string().optional(),
  onBehalfOf: z.string().nullable().optional(),
  transport: z.enum(['websocket', 'http', 'server']).optional(),
})
export type Actor = z.infer<typeof actorSchema>
