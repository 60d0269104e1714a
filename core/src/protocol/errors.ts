/** @module Errors on the wire: the shape WebSocket frames and the HTTP envelope carry (`{ error: { type, code, message, param?, details? } }`). */
import { z } from 'zod'

export const wireErrorSchema = z.object({
  type: z.string(),
  code: z.string(),
  message: z.string(),
  param: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type WireError = z.infer<typeof wireErrorSchema>

/** The HTTP error envelope (spec §5); Data Sources answer with it too. */
export const errorEnvelopeSchema = z.object({ error: wireErrorSchema })
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>
