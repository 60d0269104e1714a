/** @module `POST /v1/sessions` (secret key only) and `DELETE /v1/sessions/:id`. */
import { Hono } from 'hono'
import { z } from 'zod'
import { TandemAuthError } from '../../errors/index.ts'
import { durationSchema, participantSchema, sessionTtlLimits } from '../../protocol/index.ts'
import { parseJson, parseOrThrow } from '../parse-input.ts'
import type { Session } from './session.ts'
import type { Identity } from './identity.ts'
import { groupSchema } from './session-token.ts'

type Env = { Variables: { session: Session } }

const mintSchema = z.strictObject({
  userId: z.string().min(1).max(200),
  groups: z.array(groupSchema).min(1).max(100),
  participant: participantSchema.optional(),
  onBehalfOf: z.string().min(1).max(200).optional(),
  /** Seconds, or a string like `"15m"`; default one hour, at least 2 s, at most seven days. */
  ttl: durationSchema(sessionTtlLimits).default(3600_000),
})

const requireSecret = (session: Session) => {
  if (!session.secret) throw new TandemAuthError({ code: 'forbidden', message: 'This needs a secret key (sk_…); session tokens cannot manage sessions' })
}

export function sessionRoutes(identity: Identity): Hono<Env> {
  const app = new Hono<Env>()
  app.post('/v1/sessions', async (c) => {
    requireSecret(c.get('session'))
    const body = parseOrThrow(mintSchema, parseJson(await c.req.text()), 'session request')
    const minted = identity.mintSession(c.get('session'), {
      userId: body.userId,
      groups: body.groups,
      ttl: Math.ceil(body.ttl / 1000),
      ...(body.participant ? { participant: body.participant } : {}),
      ...(body.onBehalfOf ? { onBehalfOf: body.onBehalfOf } : {}),
    })
    return c.json(minted, 201)
  })
  app.delete('/v1/sessions/:id', async (c) => {
    requireSecret(c.get('session'))
    await identity.revokeSession(c.req.param('id'))
    return c.json({ object: 'session', id: c.req.param('id'), revoked: true })
  })
  return app
}
