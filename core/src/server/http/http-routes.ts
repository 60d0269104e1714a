/** @module The HTTP API (spec §6): commits, models, changes, health. */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { TandemAuthError, TandemNotFoundError, TandemValidationError } from '../../errors/index.ts'
import { apiRoutes, idempotencyKeySchema, openApiDocument, participantSchema } from '../../protocol/index.ts'
import { getModel } from '../../schema/validate.ts'
import { parseJson, parseOrThrow } from '../parse-input.ts'
import { publicError } from '../public-error.ts'
import { errorResponse } from './error-response.ts'
import { ChangesPages } from './changes-pages.ts'
import { keepAlive, waitForNews, withPresenceVersion } from './changes-wait.ts'
import { listRows } from '../reads/list-rows.ts'
import type { Session } from '../identity/session.ts'
import { retrieveRow } from '../reads/retrieve-row.ts'
import { claimRoutes } from '../claims/claim-routes.ts'
import { sessionRoutes } from '../identity/session-routes.ts'
import { cors } from 'hono/cors'
import { auditRoute } from './audit-route.ts'
import { runRoutes } from '../runs/run-routes.ts'
import { presenceRoutes } from '../presence/presence-routes.ts'
import type { ServerContext } from '../server-context.ts'
import { mountRoute } from './mount-route.ts'
import type { ServerPlugin } from '../plugin.ts'

type Env = { Variables: { session: Session } }

/** Bearer token of a request, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)$/i)
  return m?.[1] ?? null
}

/** The API's routes: the built-in ones, then the plugins' `routes` under `/v1`, all behind the same middleware. */
export function createHttpRoutes(ctx: ServerContext, pluginRoutes: readonly Hono<Env>[] = [], plugins: readonly ServerPlugin[] = []): Hono<Env> {
  const app = new Hono<Env>()
  const changesPages = new ChangesPages(ctx.store)
  // Built once: only `servers` depends on the request.
  let document: Record<string, unknown> | undefined
  const extensions = plugins.flatMap((p) => (p.api ? [p.api] : []))

  mountRoute(app, apiRoutes.health, (c) => c.json({ ok: true, store: ctx.store.kind, syncId: ctx.hub.head }))
  mountRoute(app, apiRoutes.metrics, async (c) => {
    // With node --expose-gc (never by default), `?gc=1` collects first: leak checks read live memory, not garbage.
    const gc = (globalThis as { gc?: () => void }).gc
    if (gc && c.req.query('gc') === '1') gc()
    return c.text(await ctx.metrics.render(), 200, { 'content-type': ctx.metrics.contentType })
  })
  const corsHeaders = cors({ origin: ctx.allowedOrigins ? [...ctx.allowedOrigins] : '*', exposeHeaders: ['Retry-After'], maxAge: 600 })
  // Only browsers' cross-origin requests carry Origin; the rest skip CORS (its headers materialise a full Response per request).
  app.use('/v1/*', (c, next) => (c.req.header('origin') === undefined ? next() : corsHeaders(c, next)))

  app.use('/v1/*', async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (!token) throw new TandemAuthError({ code: 'unauthenticated', message: 'Missing "Authorization: Bearer <key or token>" header' })
    const kind = c.req.header('tandem-participant-kind')
    const name = c.req.header('tandem-participant-name')
    const participant = kind ? parseOrThrow(participantSchema, { kind, ...(name ? { name } : {}) }, 'Tandem-Participant-* headers') : undefined
    const session = ctx.authenticate(token, participant)
    if (!session) throw new TandemAuthError({ code: 'unauthenticated', message: 'Invalid or expired credentials' })
    ctx.metrics.httpRequests.inc()
    try {
      ctx.rateLimiter.take(session)
    } catch (error) {
      ctx.metrics.rateLimited.inc()
      throw error
    }
    c.set('session', session)
    await next()
  })

  const limit = bodyLimit({
    maxSize: ctx.limits.maxBodyBytes,
    onError: (c) =>
      errorResponse(
        c,
        new TandemValidationError({ code: 'payload_too_large', message: `Request body is larger than ${ctx.limits.maxBodyBytes} bytes` }),
        (code) => ctx.metrics.refusals.inc({ code, transport: 'http' }),
      ),
  })

  mountRoute(
    app,
    apiRoutes.createCommit,
    async (c, { body }) => {
      const rawKey = c.req.header('idempotency-key')
      const key = rawKey === undefined ? undefined : parseOrThrow(idempotencyKeySchema, rawKey, 'Idempotency-Key header')
      const result = await ctx.pipeline.submit(c.get('session'), body, key, 'http')
      return c.json(result)
    },
    { middleware: [limit] },
  )

  mountRoute(
    app,
    apiRoutes.createCommitBatch,
    async (c, { body: { commits } }) => {
      const session = c.get('session')
      // Each commit counts against the rate limit as it would alone (the request took one already).
      for (let i = 1; i < commits.length; i++) ctx.rateLimiter.take(session)
      // Submitted in order before any settles: the pipeline applies them in this order, grouped into as few transactions as it can.
      const settled = await Promise.allSettled(
        commits.map(({ idempotencyKey, ...request }) => {
          try {
            return ctx.pipeline.submit(session, request, idempotencyKey, 'http')
          } catch (error) {
            // A commit refused before it is queued (validation) is refused alone.
            return Promise.reject(error)
          }
        }),
      )
      return c.json({
        object: 'commit_batch',
        results: settled.map((r) => {
          if (r.status === 'fulfilled') return r.value
          const error = publicError(r.reason, 'POST /v1/commits/batch')
          ctx.metrics.refusals.inc({ code: error.code, transport: 'http' })
          return { object: 'error', status: error.status, error: error.toJSON() }
        }),
      })
    },
    { middleware: [limit] },
  )

  mountRoute(app, apiRoutes.retrieveRow, async (c, { params: { model, id }, query: q }) => {
    const row = await retrieveRow(ctx, c.get('session'), { model, id, ...q })
    if (!row) throw new TandemNotFoundError({ code: 'not_found', message: `${model} "${id}" not found`, param: 'id' })
    return c.json(row)
  })

  mountRoute(app, apiRoutes.listRows, async (c, { params: { model }, query: q }) => {
    getModel(ctx.schema, model)
    const page = await listRows(ctx, c.get('session'), {
      model,
      where: q.where === undefined ? undefined : parseJson(q.where, 'where'),
      orderBy: q.orderBy === undefined ? undefined : parseJson(q.orderBy, 'orderBy'),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    })
    return c.json(page)
  })

  mountRoute(app, apiRoutes.openapi, (c) => {
    document ??= openApiDocument(ctx.schema, { extensions })
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] })
  })

  mountRoute(app, apiRoutes.bootstrap, async (c) => {
    const snap = await ctx.store.snapshot(c.get('session').groups)
    return c.json({ object: 'bootstrap', syncId: snap.syncId, rows: snap.rows })
  })

  mountRoute(app, apiRoutes.changes, async (c, { query: q }) => {
    const session = c.get('session')
    // Read at the answer, not the request: a presence change while parked shows in it.
    const presenceVersion = () => (q.presence === undefined ? undefined : ctx.presence.registry.version)
    keepAlive(ctx.presence, session, q.connectionId, q.wait * 1000)
    // The hub's head when the cursor is behind it (no store round trip for a re-poll); the store's otherwise.
    let head = q.after <= ctx.hub.head ? ctx.hub.head : await ctx.store.headSyncId()
    // A cursor from the future (the server's data was reset) or from before the compacted log: bootstrap again.
    if (q.after > head || q.after < (await ctx.store.logStart())) {
      const version = presenceVersion()
      return c.json({
        object: 'list',
        data: [],
        hasMore: false,
        cursor: head,
        syncId: head,
        resync: true,
        ...(version === undefined ? {} : { presenceVersion: version }),
      })
    }
    if (head <= q.after && q.wait > 0) {
      ctx.metrics.longPolls.inc()
      await waitForNews(ctx.hub, ctx.presence, { after: q.after, waitMs: q.wait * 1000, presence: q.presence }, c.req.raw.signal).finally(() =>
        ctx.metrics.longPolls.dec(),
      )
      // The hub's head: every entry up to it is in the store (and one read serves every poll this commit woke).
      head = Math.max(head, ctx.hub.head)
    }
    keepAlive(ctx.presence, session, q.connectionId)
    const page = await changesPages.page(q.after, q.limit, head, session.groups)
    return c.body(withPresenceVersion(page, presenceVersion()), 200, { 'content-type': 'application/json' })
  })

  app.route('/', auditRoute(ctx.schema, ctx.store))
  app.use('/v1/sessions', limit)
  app.use('/v1/sessions/*', limit)
  app.route('/', sessionRoutes(ctx.identity))
  app.use('/v1/claims', limit)
  app.use('/v1/claims/*', limit)
  app.route('/', claimRoutes(ctx.claims))
  app.use('/v1/presence', limit)
  app.route(
    '/',
    presenceRoutes(ctx.presence, ctx.authenticate, (c) => bearerToken(c.req.header('authorization'))),
  )
  app.use('/v1/runs/*', limit)
  app.route('/', runRoutes(ctx))
  // Plugin routes sit behind the CORS, auth and rate-limit middleware above, with the same body limit.
  if (pluginRoutes.length) {
    const plugins = new Hono<Env>().use('*', limit)
    for (const routes of pluginRoutes) plugins.route('/', routes)
    app.route('/v1', plugins)
  }
  return app
}
