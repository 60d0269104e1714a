/** @module `POST /v1/sessions` (secret key only) and `DELETE /v1/sessions/:id`. */
import { Hono } from 'hono'
import { apiRoutes } from '../../protocol/index.ts'
import { mountRoute } from '../http/mount-route.ts'
import type { Session } from './session.ts'
import type { Identity } from './identity.ts'

type Env = { Variables: { session: Session } }

export function sessionRoutes(identity: Identity): Hono<Env> {
  const app = new Hono<Env>()
  mountRoute(app, apiRoutes.createSession, async (c, { body }) => {
    const minted = identity.mintSession(c.get('session'), {
      userId: body.userId,
      groups: body.groups,
      ttl: Math.ceil(body.ttl / 1000),
      ...(body.participant ? { participant: body.participant } : {}),
      ...(body.onBehalfOf ? { onBehalfOf: body.onBehalfOf } : {}),
    })
    return c.json(minted, 201)
  })
  mountRoute(app, apiRoutes.revokeSession, async (c, { params: { id } }) => {
    await identity.revokeSession(id)
    return c.json({ object: 'session', id, revoked: true })
  })
  return app
}
