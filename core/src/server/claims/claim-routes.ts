/** @module Claims over HTTP: acquire (waits while queued), inspect, heartbeat, release, reorder; the policy is claim-service's. */
import { Hono } from 'hono'
import { apiRoutes, checkClaimTarget, claimsConcerning } from '../../protocol/index.ts'
import { mountRoute } from '../http/mount-route.ts'
import type { Session } from '../identity/session.ts'
import { groupsVisible } from '../store.ts'
import { acquireClaim, type ClaimCaller, type ClaimServiceContext, heartbeatClaim, releaseClaim, reorderClaims, visibleRow } from './claim-service.ts'

type Env = { Variables: { session: Session } }

/** Longest an HTTP request may wait in line when the caller gives no timeoutMs. */
const httpWaitMs = 30_000

/** An HTTP caller's claims belong to its credential: there is no connection whose loss would end them. */
const httpCaller = (session: Session): ClaimCaller => ({ session, ownerId: `http:${session.credentialId}` })

export function claimRoutes(ctx: ClaimServiceContext): Hono<Env> {
  const app = new Hono<Env>()
  mountRoute(app, apiRoutes.acquireClaim, async (c, { body: request }) => {
    const grant = await acquireClaim(ctx, httpCaller(c.get('session')), { ...request, timeoutMs: request.timeoutMs ?? httpWaitMs }, c.req.raw.signal)
    return c.json({ ...grant.claim, token: grant.token, data: grant.data })
  })

  mountRoute(app, apiRoutes.activeClaims, async (c) => {
    const session = c.get('session')
    const visible = (await ctx.claims.all()).filter((row) => groupsVisible(row.groups, session.groups))
    return c.json({ object: 'list', data: visible.map(({ model, id, claims }) => ({ model, id, claims })) })
  })

  mountRoute(app, apiRoutes.claimsOnRow, async (c, { query: q }) => {
    checkClaimTarget(ctx.schema, q)
    await visibleRow(ctx, c.get('session'), q)
    const claims = claimsConcerning(await ctx.claims.claimsOn(q.model, q.id), q.field)
    return c.json({ holder: claims.find((s) => s.status === 'active') ?? null, queue: claims.filter((s) => s.status === 'queued'), claims })
  })

  mountRoute(app, apiRoutes.reorderClaims, async (c, { body }) => {
    return c.json(await reorderClaims(ctx, httpCaller(c.get('session')), body))
  })

  mountRoute(app, apiRoutes.heartbeatClaim, async (c, { params: { claimId } }) => {
    return c.json(await heartbeatClaim(ctx, httpCaller(c.get('session')), { claimId }))
  })

  mountRoute(app, apiRoutes.releaseClaim, async (c, { params: { claimId } }) => {
    return c.json(await releaseClaim(ctx, httpCaller(c.get('session')), claimId))
  })

  return app
}
