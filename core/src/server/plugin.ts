/** @module `ServerPlugin`: how extensions (webhooks, metrics, …) mount into the server without core importing them. */
import type { Hono, MiddlewareHandler } from 'hono'
import { TandemAuthError } from '../errors/index.ts'
import type { ApiContribution, ApiRoute, LogEntry } from '../protocol/index.ts'
import type { RouteHandler } from './http/mount-route.ts'
import type { MetricsRegistry } from './metrics.ts'
import type { Schema } from '../schema/model.ts'
import type { Session } from './identity/session.ts'
import type { Store } from './store.ts'

/** The Hono environment of plugin routes: they run after authentication, so `c.get('session')` is always set. */
export type PluginEnv = { Variables: { session: Session } }

/** Where a plugin reports what it does; lines are tagged with the plugin's name. */
export interface PluginLogger {
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

/** What `setup` is given. Everything is ready: the store is open and the log's head is known. */
export interface PluginContext {
  readonly schema: Schema
  readonly store: Store
  /**
   * This plugin's routes, served under `/v1` behind the same CORS, authentication,
   * rate limit, body limit and error envelope as the built-in API:
   * `routes.get('/things', …)` answers `GET /v1/things`. Register them during
   * `setup`; routes added later are not served. A handler that throws a
   * `TandemError` answers with its code and status. Scope middleware to your
   * own paths (`routes.use('/things/*', …)`): a `*` pattern also matches the
   * routes of the plugins mounted after this one.
   */
  readonly routes: Hono<PluginEnv>
  /**
   * Serve one of the routes declared in the plugin's `api.routes` (its path starts
   * with `/v1/`): its params, query and body are parsed with the route's zod schemas
   * before `handler` runs, and it appears in `GET /v1/openapi.json`.
   * Throws a TypeError for a route the plugin did not declare.
   */
  handle<R extends ApiRoute>(route: R, handler: RouteHandler<R>): void
  /** The server's Prometheus registry (prom-client): add the plugin's metrics with `registers: [metrics]`. */
  readonly metrics: MetricsRegistry
  /** Log entries with syncId > `after`, ascending, at most `limit`, of every sync group (plugins are trusted). */
  readLog(after: number, limit: number): Promise<LogEntry[]>
  /**
   * Called after every committed batch, in log order, each entry once; on a
   * store several nodes share (Postgres) also for the other nodes' commits.
   * Entries committed before `setup` are not replayed: read them with
   * `readLog`. Runs inside the fan-out, so keep it short; a listener that
   * throws or rejects is logged, not rethrown. Returns the unsubscribe function.
   */
  onCommit(listener: (entries: LogEntry[]) => void | Promise<void>): () => void
  readonly logger: PluginLogger
}

/**
 * A server extension, mounted with `createServer({ plugins: [...] })`.
 *
 * Order: plugins are set up in array order after the store opens and before
 * the server listens. A `setup` that throws makes `createServer` reject,
 * after closing the plugins already set up (newest first) and the store.
 * `server.close()` first stops the HTTP server and the sockets, then closes
 * the plugins in reverse order of setup, then the store.
 * @example
 * const audit: ServerPlugin = { name: 'audit', setup(ctx) { ctx.onCommit((e) => ctx.logger.info(`${e.length} entries`)) } }
 */
export interface ServerPlugin {
  /** Unique among the server's plugins; tags log lines. */
  readonly name: string
  /** The routes (and outgoing webhooks) it serves, as data: mounted with `handle`, listed in the OpenAPI document. */
  readonly api?: ApiContribution
  setup(context: PluginContext): void | Promise<void>
  /**
   * The lowest syncId this plugin still needs (e.g. its slowest cursor + 1),
   * or undefined when it needs none. With `logRetention` set, compaction never
   * removes that entry or any later one. Asked before every compaction.
   */
  retainLog?(): number | undefined | Promise<number | undefined>
  /** Release what `setup` started (timers, connections). The store is still open. Errors are logged, not rethrown. */
  close?(): void | Promise<void>
}

/**
 * Route middleware: 403 `forbidden` unless the caller authenticated with a secret key (session tokens are refused).
 * @example
 * ctx.routes.post('/webhook_endpoints', requireSecretKey, async (c) => c.json(await create(c.get('session'))))
 */
export const requireSecretKey: MiddlewareHandler<PluginEnv> = async (c, next) => {
  if (!c.get('session').secret) throw new TandemAuthError({ code: 'forbidden', message: 'This needs a secret key (sk_…); session tokens are refused here' })
  await next()
}
