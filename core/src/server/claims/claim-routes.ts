/** @module Claims over HTTP: acquire (waits while queued), inspect, heartbeat, release, reorder; the policy is claim-service's. */
import { Hono } from 'hono'
import { z } from 'zod'
import { checkClaimTarget, claimReleaseParamsSchema, claimReorderParamsSchema, claimRequestSchema, claimsConcerning } from '../../protocol/index.ts'
import { parseJson, parseOrThrow } from '../parse-input.ts'
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
  const claimIdParam = (raw: string) => parseOrThrow(claimReleaseParamsSchema, { claimId: raw }, 'claim id').claimId

  app.post('/v1/claims', async (c) => {
    const request = parseOrThrow(claimRequestSchema, parseJson(await c.req.text()), 'claim request')
    const grant = await acquireClaim(ctx, httpCaller(c.get('session')), { ...request, timeoutMs: request.timeoutMs ?? httpWaitMs }, c.req.raw.signal)
    return c.json({ ...grant.claim, token: grant.token, data: grant.data })
  })

  app.get('/v1/claims/active', async (c) => {
    const session = c.get('session')
    const visible = (await ctx.claims.all()).filter((row) => groupsVisible(row.groups, session.groups))
    return c.json({ object: 'list', data: visible.map(({ model, id, claims }) => ({ model, id, claims })) })
  })

  app.get('/v1/claims', async (c) => {
    const q = parseOrThrow(z.object({ model: z.string(), id: z.string(), field: z.string().optional() }), c.req.query(), 'query')
    checkClaimTarget(ctx.schema, q)
    await visibleRow(ctx, c.get('session'), q)
    const claims = claimsConcerning(await ctx.claims.claimsOn(q.model, q.id), q.field)
    return c.json({ holder: claims.find((s) => s.status === 'active') ?? null, queue: claims.filter((s) => s.status === 'queued'), claims })
  })

  app.post('/v1/claims/reorder', async (c) => {
    const params = parseOrThrow(claimReorderParamsSchema, parseJson(await c.req.text()), 'reorder request')
    return c.json(await reorderClaims(ctx, httpCaller(c.get('session')), params))
  })

  app.post('/v1/claims/:claimId/heartbeat', async (c) => {
    return c.json(await heartbeatClaim(ctx, httpCaller(c.get('session')), { claimId: claimIdParam(c.req.param('claimId')) }))
  })

  app.delete('/v1/claims/:claimId', async (c) => {
    return c.json(await releaseClaim(ctx, httpCaller(c.get('session')), claimIdParam(c.req.param('claimId'))))
  })

  return app
}
