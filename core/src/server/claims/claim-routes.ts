/** @module Claims over HTTP: acquire (waits while queued), inspect, heartbeat, release. */
import { Hono } from 'hono'
import { z } from 'zod'
import { TandemAuthError, TandemClaimedError } from '../../errors/index.ts'
import { parseJson, parseOrThrow } from '../http-errors.ts'
import { claimReorderParamsSchema } from '../../protocol/index.ts'
import type { Session } from '../session.ts'
import { acquireClaim, checkTarget, type ClaimServiceContext, visibleRow } from './claim-service.ts'
import { groupsVisible } from '../store.ts'

type Env = { Variables: { session: Session } }

/** Longest an HTTP request may wait in line when the caller gives no timeoutMs. */
const httpWaitMs = 30_000

export function claimRoutes(ctx: ClaimServiceContext): Hono<Env> {
  const app = new Hono<Env>()

  app.post('/v1/claims', async (c) => {
    const body = parseJson(await c.req.text()) as Record<string, unknown>
    const session = c.get('session')
    const timeoutMs = typeof body?.['timeoutMs'] === 'number' ? body['timeoutMs'] : httpWaitMs
    const grant = await acquireClaim(ctx, session, { ...(body as object), timeoutMs } as never, `http:${session.credentialId}`, c.req.raw.signal)
    return c.json({ ...grant.claim, token: grant.token, data: grant.data })
  })

  app.get('/v1/claims/active', async (c) => {
    const session = c.get('session')
    const visible = (await ctx.claims.all()).filter((row) => groupsVisible(row.groups, session.groups))
    return c.json({ object: 'list', data: visible.map(({ model, id, claims }) => ({ model, id, claims })) })
  })

  app.get('/v1/claims', async (c) => {
    const q = parseOrThrow(z.object({ model: z.string(), id: z.string(), field: z.string().optional() }), c.req.query(), 'query')
    checkTarget(ctx.schema, { model: q.model, id: q.id, ...(q.field ? { field: q.field } : {}) })
    await visibleRow(ctx, c.get('session'), q)
    const claims = (await ctx.claims.claimsOn(q.model, q.id)).filter((s) => q.field === undefined || s.target.field === undefined || s.target.field === q.field)
    return c.json({ holder: claims.find((s) => s.status === 'active') ?? null, queue: claims.filter((s) => s.status === 'queued'), claims })
  })

  const owned = async (c: { get(k: 'session'): Session }, claimId: string) => {
    const claim = await ctx.claims.get(claimId)
    if (!claim) throw new TandemClaimedError({ code: 'claim_lost', message: `Claim ${claimId} is not held (expired, released or unknown)`, param: 'claimId' })
    const session = c.get('session')
    if (claim.credentialId !== session.credentialId && !session.secret) throw new TandemAuthError({ code: 'forbidden', message: 'Only the holder may do this' })
    return claim
  }

  app.post('/v1/claims/reorder', async (c) => {
    const body = parseOrThrow(claimReorderParamsSchema, parseJson(await c.req.text()), 'reorder request')
    const target = { model: body.model, id: body.id, ...(body.field !== undefined ? { field: body.field } : {}) }
    checkTarget(ctx.schema, target)
    const session = c.get('session')
    const holds = (await ctx.claims.activeOn(body.model, body.id)).some((a) => a.credentialId === session.credentialId)
    if (!holds && !session.secret) throw new TandemAuthError({ code: 'forbidden', message: 'Only the holder or a secret key may reorder the line' })
    await ctx.claims.reorder(target, body.order)
    return c.json({ object: 'claim_queue', claims: await ctx.claims.claimsOn(body.model, body.id) })
  })

  app.post('/v1/claims/:claimId/heartbeat', async (c) => {
    const claim = await owned(c, c.req.param('claimId'))
    return c.json(await ctx.claims.heartbeat(claim.token, claim.ownerId))
  })

  app.delete('/v1/claims/:claimId', async (c) => {
    await owned(c, c.req.param('claimId'))
    await ctx.pipeline.flushed()
    return c.json(await ctx.claims.release(c.req.param('claimId')))
  })

  return app
}
