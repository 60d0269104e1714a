/** @module Mount an `ApiRoute` on Hono: its auth rule, then its params, query and body parsed with the route's zod schemas before the handler runs. */
import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { TandemAuthError } from '../../errors/index.ts'
import type { ApiRoute } from '../../protocol/index.ts'
import type { Session } from '../identity/session.ts'
import { parseJson, parseOrThrow } from '../parse-input.ts'

type Env = { Variables: { session: Session } }

type Out<S> = S extends z.ZodType ? z.output<S> : undefined

/** What the handler gets: the parsed input of its route. */
export interface RouteInput<R extends ApiRoute> {
  params: Out<R['params']>
  query: Out<R['query']>
  body: Out<R['body']>
}

export type RouteHandler<R extends ApiRoute> = (c: Context<Env>, input: RouteInput<R>) => Response | Promise<Response>

/** `/v1/claims/{claimId}` → `/v1/claims/:claimId`. */
export const honoPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1')

/**
 * Register `route` on `app` (at `route.path` minus `prefix`, for apps mounted under it).
 * @example
 * mountRoute(app, apiRoutes.acquireClaim, async (c, { body }) => c.json(await acquire(body)))
 */
export function mountRoute<R extends ApiRoute>(
  app: Hono<Env>,
  route: R,
  handler: RouteHandler<R>,
  options: { prefix?: string; middleware?: MiddlewareHandler<Env>[] } = {},
): void {
  const prefix = options.prefix ?? ''
  if (!route.path.startsWith(`${prefix}/`)) throw new TypeError(`Route ${route.operationId} (${route.path}) is not under ${prefix}`)
  const path = honoPath(route.path.slice(prefix.length))
  const run: MiddlewareHandler<Env> = async (c) => {
    if (route.auth === 'secret' && !c.get('session').secret) {
      throw new TandemAuthError({ code: 'forbidden', message: 'This needs a secret key (sk_…); session tokens are refused here' })
    }
    const params = route.params ? parseOrThrow(route.params, c.req.param(), 'path') : undefined
    const query = route.query ? parseOrThrow(route.query, c.req.query(), 'query') : undefined
    let body: unknown
    if (route.body) {
      const text = await c.req.text()
      body = parseOrThrow(route.body, route.emptyBody && text.trim() === '' ? {} : parseJson(text), route.bodyLabel ?? 'body')
    }
    return handler(c, { params, query, body } as RouteInput<R>)
  }
  app.on(route.method.toUpperCase(), [path], ...(options.middleware ?? []), run)
}
