/** @module Session tokens (`ek_…`): a signed payload; altering a byte breaks the HMAC. */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { groupSchema, participantKindSchema } from '../../protocol/index.ts'

export { groupSchema }

export const sessionPayloadSchema = z.object({
  v: z.literal(1),
  sid: z.string(),
  sub: z.string(),
  grp: z.array(groupSchema),
  pk: participantKindSchema,
  pn: z.string().optional(),
  obo: z.string().optional(),
  /** Id of the secret key that minted it: revoking the key ends its sessions. */
  iss: z.string(),
  iat: z.number(),
  exp: z.number(),
})
export type SessionPayload = z.infer<typeof sessionPayloadSchema>

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url')
const mac = (secret: Buffer, body: string) => createHmac('sha256', secret).update(body).digest()

export function signSessionToken(payload: SessionPayload, secret: Buffer): string {
  const body = `ek_${b64(JSON.stringify(payload))}`
  return `${body}.${b64(mac(secret, body))}`
}

/** The payload of a token whose signature is valid (expiry is checked by the caller), or null. */
export function verifySessionToken(token: string, secret: Buffer): SessionPayload | null {
  const dot = token.lastIndexOf('.')
  if (!token.startsWith('ek_') || dot < 0) return null
  const body = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1), 'base64url')
  const expected = mac(secret, body)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const parsed = sessionPayloadSchema.safeParse(JSON.parse(Buffer.from(body.slice(3), 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
