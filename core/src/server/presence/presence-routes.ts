/**
 * @module Presence over HTTP, for long-poll clients and backends: list (a
 * long-poll on the registry's version), register/refresh with a TTL, leave.
 * An HTTP participant belongs to the credential that made it.
 */
import { Hono } from 'hono'
import { TandemNotFoundError } from '../../errors/index.ts'
import { createId } from '../../internal/ids.ts'
import { apiRoutes } from '../../protocol/index.ts'
import { mountRoute } from '../http/mount-route.ts'
import type { Authenticator, Session } from '../identity/session.ts'
import type { PresenceService } from './presence-service.ts'
import { entryFor, type PresenceRecord } from './presence-registry.ts'

type Env = { Variables: { session: Session } }

/** HTTP participants one credential may have at once; registering one more ends its oldest (tabs come and go without a DELETE). */
export const maxHttpParticipantsPerCredential = 20

const notFound = (connectionId: string) =>
  new TandemNotFoundError({
    code: 'not_found',
    message: `Presence entry "${connectionId}" not found (expired or never made): PUT /v1/presence again`,
    param: 'connectionId',
  })

/** The caller's own HTTP participant, or undefined (someone else's reads as missing, never as forbidden). */
export function owned(presence: PresenceService, session: Session, connectionId: string): PresenceRecord | undefined {
  const r = presence.registry.get(connectionId)
  return r && r.expiresAt !== undefined && r.credentialId === session.credentialId ? r : undefined
}

export function presenceRoutes(
  presence: PresenceService,
  authenticate: Authenticator,
  tokenOf: (c: { req: { header(name: string): string | undefined } }) => string | null,
): Hono<Env> {
  const app = new Hono<Env>()
  const { registry } = presence

  mountRoute(app, apiRoutes.listPresence, async (c, { query: q }) => {
    const session = c.get('session')
    const self = q.connectionId
    if (self !== undefined) {
      if (!owned(presence, session, self)) throw notFound(self)
      // Alive while parked here, and for a TTL after.
      registry.refresh(self, Date.now() + q.wait * 1000 + presence.httpTtlMs)
    }
    if (q.after !== undefined && q.wait > 0) await registry.waitPast(q.after, q.wait * 1000, c.req.raw.signal)
    if (self !== undefined) registry.refresh(self, Date.now() + presence.httpTtlMs)
    return c.json({ object: 'presence', version: registry.version, self: self ?? null, data: registry.visible(session.groups, self) })
  })

  mountRoute(app, apiRoutes.putPresence, async (c, { body }) => {
    const session = c.get('session')
    let connectionId = body.connectionId !== undefined && owned(presence, session, body.connectionId) ? body.connectionId : undefined
    if (connectionId === undefined) {
      const mine = registry.httpEntriesOf(session.credentialId)
      for (const old of mine.slice(0, Math.max(0, mine.length - maxHttpParticipantsPerCredential + 1))) presence.leave(old.connectionId)
      connectionId = `http_${createId()}`
      const token = tokenOf(c)
      const participant = { kind: session.actor.kind, ...(session.actor.name !== undefined ? { name: session.actor.name } : {}) }
      presence.join(connectionId, session, {
        expiresAt: Date.now() + presence.httpTtlMs,
        // Revoked or expired credentials end the entry at the next sweep, as they end sockets.
        stillValid: () => token !== null && authenticate(token, participant) !== null,
      })
    }
    try {
      await presence.setIntent(session, connectionId, body.intent)
    } catch (error) {
      // A refused first PUT leaves no entry behind.
      if (body.connectionId !== connectionId) presence.leave(connectionId)
      throw error
    }
    registry.refresh(connectionId, Date.now() + presence.httpTtlMs)
    const record = registry.get(connectionId)!
    return c.json({ object: 'presence_entry', connectionId, ttlMs: presence.httpTtlMs, entry: entryFor(record, session.groups, connectionId) })
  })

  mountRoute(app, apiRoutes.deletePresence, (c, { params: { connectionId } }) => {
    const session = c.get('session')
    const r = registry.get(connectionId)
    if (!r || r.expiresAt === undefined || (r.credentialId !== session.credentialId && !session.secret)) throw notFound(connectionId)
    presence.leave(connectionId)
    return c.json({ object: 'presence_entry', connectionId, deleted: true })
  })

  return app
}
