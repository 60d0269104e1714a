/** @module `createServer()`: Hono HTTP API + WebSocket sync on one port. */
import type { AddressInfo } from 'node:net'
import type { Server as HttpServer } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { TandemNotFoundError } from '../errors/index.ts'
import { errorResponse } from './http/error-response.ts'
import type { Schema } from '../schema/model.ts'
import { CommitPipeline, type WriteGuard } from './commit/commit-pipeline.ts'
import { Hub } from './sync/hub.ts'
import { createPresence, type PresenceOptions } from './presence/presence-service.ts'
import { createHttpRoutes } from './http/http-routes.ts'
import type { ServerPlugin } from './plugin.ts'
import { type PluginHost, setUpPlugins } from './plugin-host.ts'
import { type Authenticator, generateSecretKey } from './identity/session.ts'
import { createIdentity } from './identity/identity.ts'
import { Metrics } from './metrics.ts'
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts'
import type { Store } from './store.ts'
import { sqliteStore } from './stores/sqlite-store.ts'
import type { ServerSocket } from './sync/sync-connection.ts'
import type { ClaimCoordinator } from './claims/claim-coordinator.ts'
import { claimGuard } from './claims/claim-guard.ts'
import { type ClaimServiceContext, type ClaimsConfig, resolveClaimsConfig } from './claims/claim-service.ts'
import { memoryClaimCoordinator } from './claims/memory-claims.ts'
import { storeClaimCoordinator } from './claims/store-claims.ts'
import type { ResolvedLimits, ServerContext } from './server-context.ts'
import { SyncSockets } from './sync/sync-sockets.ts'
import { startMaintenance } from './maintenance.ts'
import { maxWaitSeconds } from '../protocol/index.ts'
import { watchClaimTimes } from './claims/claim-metrics.ts'

export interface ServerLimits {
  /** Largest WebSocket frame accepted, in bytes (default 1 MiB). */
  maxFrameBytes?: number
  /** Largest HTTP request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number
  /** Most operations in one commit (default 500). */
  maxOperationsPerCommit?: number
  /** Unsent bytes per socket before it is dropped as a slow consumer (default 16 MiB). */
  maxBufferedBytes?: number
  /** Token buckets per credential (session tokens: 50/s by default; secret keys: unlimited). */
  rateLimit?: RateLimitOptions
  /** How often the server pings each socket; one that has not answered the previous ping is dropped (default 30 s). */
  pingIntervalMs?: number
  /** How long a socket closed as a slow consumer (4008) has to read the close before it is cut (default 1 s). */
  slowConsumerGraceMs?: number
}

export interface ServerOptions {
  schema: Schema
  /** Default: `sqliteStore({ path: '.tandem/dev.db' })`. */
  store?: Store
  /** 0 = any free port. Default: `TANDEM_PORT` or 7878. */
  port?: number
  /** Default `127.0.0.1`. */
  host?: string
  /** Secret keys accepted; one is generated when omitted (see `server.secretKey`). */
  secretKeys?: string[]
  /**
   * The secret session tokens are signed with (≥ 32 characters; the same on
   * every node). Default: one generated on first start and kept in the store,
   * so anyone who can read the database can mint tokens. Given, it replaces
   * that one (tokens signed with it stop working) and none is stored.
   */
  sessionSecret?: string
  /**
   * Extensions (e.g. `webhooks()`), set up in array order after the store opens
   * and before the server listens; closed in reverse order. See docs/plugins.md.
   */
  plugins?: ServerPlugin[]
  limits?: ServerLimits
  /** Extra write guards run inside the commit transaction. */
  guards?: WriteGuard[]
  /** Replace key authentication (the identity layer plugs in here). */
  authenticate?: Authenticator
  /** Claim defaults and limits: lease length, disconnect grace period, line ceiling, waiting claims per session. */
  claims?: ClaimsConfig
  /** Replace the in-process claim coordinator (e.g. a store-backed one for several nodes). */
  claimCoordinator?: ClaimCoordinator
  /** Presence: intent rate limit per connection, TTL of HTTP participants. See docs/presence.md. */
  presence?: PresenceOptions
  /** Browser origins allowed to use the API and the WebSocket (default: any). */
  allowedOrigins?: string[]
  /**
   * Keep at least this many log entries; older ones are compacted away (default: keep all), except what a plugin's
   * `retainLog()` still needs. Clients further behind re-bootstrap.
   */
  logRetention?: number
  /**
   * How long an Idempotency-Key is remembered, in ms (default 7 days). A replay
   * within it returns the first answer; after it, the key is new again.
   */
  idempotencyRetentionMs?: number
  /**
   * For stores shared by several nodes (those with `listenLog`): how often, in ms, this node also reads the log
   * after its head (default 1000). Notifications are only a wake-up hint; this poll brings in what a lost one missed.
   */
  logPollMs?: number
}

export interface TandemServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** The first secret key. */
  readonly secretKey: string
  /** The Hono app, for mounting inside another server. */
  readonly app: Hono
  readonly store: Store
  /** Open WebSocket connections. */
  readonly connections: number
  /** Serve a socket that did not come through the HTTP upgrade (e.g. `inProcessTransport`). */
  accept(socket: ServerSocket): void
  close(): Promise<void>
}

/**
 * Start a Tandem server.
 * @example
 * const server = await createServer({ schema, store: memoryStore(), port: 0 })
 * console.log(server.url, server.secretKey)
 */
export async function createServer(options: ServerOptions): Promise<TandemServer> {
  const { schema } = options
  const store = options.store ?? sqliteStore({ path: '.tandem/dev.db' })
  const secretKeys = options.secretKeys?.length ? options.secretKeys : [generateSecretKey()]
  const limits: ResolvedLimits = {
    maxFrameBytes: options.limits?.maxFrameBytes ?? 1 << 20,
    maxBodyBytes: options.limits?.maxBodyBytes ?? 1 << 20,
    maxOperationsPerCommit: options.limits?.maxOperationsPerCommit ?? 500,
    maxBufferedBytes: options.limits?.maxBufferedBytes ?? 16 << 20,
    slowConsumerGraceMs: options.limits?.slowConsumerGraceMs ?? 1000,
    helloTimeoutMs: 10_000,
    maxWaitSeconds,
  }
  const claimsConfig = resolveClaimsConfig(options.claims)

  try {
    await store.open(schema)
  } catch (error) {
    // e.g. a refused migration: release the store so the process can exit with the error.
    await store.close().catch(() => undefined)
    throw error
  }
  const identity = await createIdentity(store, secretKeys, { sessionSecret: options.sessionSecret }).catch(async (error: unknown) => {
    await store.close().catch(() => undefined) // e.g. a session secret too short
    throw error
  })
  const authenticate = options.authenticate ?? identity.authenticate
  const metrics = new Metrics()
  const rateLimiter = new RateLimiter(options.limits?.rateLimit)
  const hub = new Hub((after, limit) => store.readLog(after, limit))
  hub.head = await store.headSyncId()
  // Several nodes on one store: other nodes' commits reach this node's subscribers through the store's notifications.
  // Notifications are only a hint: the poll reads whatever a lost one (or a dropped listener connection) missed.
  const stopListening = await store.listenLog?.(() => void hub.catchUp())
  const logPoll = store.listenLog ? setInterval(() => void hub.catchUp(), options.logPollMs ?? 1000) : undefined
  logPoll?.unref()
  // A store several nodes can share (it notifies log appends) gets claims that live in the store too.
  const claims =
    options.claimCoordinator ?? (store.listenLog ? storeClaimCoordinator(store, { nodeTimeoutMs: claimsConfig.nodeTimeoutMs }) : memoryClaimCoordinator())
  const pipeline = new CommitPipeline({
    schema,
    store,
    hub,
    maxOperations: limits.maxOperationsPerCommit,
    guards: [claimGuard(claims), ...(options.guards ?? [])],
    observe: (transport, seconds) => metrics.commitDuration.observe({ transport: transport ?? 'server' }, seconds),
  })
  // Claim lifecycle goes into the log, attributed to the holder, so audits and webhooks can show who held what.
  // Kept until written, so closing waits for the last ones (e.g. this node's waiters leaving the shared lines).
  const claimLogs = new Set<Promise<unknown>>()
  claims.onEvent((e) => {
    const actor = { ...e.actor, transport: 'server' as const }
    const session = { credentialId: 'claims', actor, groups: null, defaultGroup: '', secret: false }
    const logged = pipeline
      .appendClaimEvent(session, { event: e.event, state: e.state, groups: [...e.groups] })
      .catch((error: unknown) => console.error('[tandem] could not log claim event:', error))
      .finally(() => claimLogs.delete(logged))
    claimLogs.add(logged)
  })
  const claimService: ClaimServiceContext = {
    schema,
    store,
    pipeline,
    claims,
    config: claimsConfig,
  }

  const app = new Hono()
  const refused = (transport: 'http') => (code: string) => metrics.refusals.inc({ code, transport })
  app.onError((error, c) => errorResponse(c, error, refused('http')))
  // nosniff, no framing, no referrer… on every answer; HSTS is the TLS proxy's to set (this server speaks plain HTTP).
  app.use(secureHeaders({ strictTransportSecurity: false }))
  app.notFound((c) => errorResponse(c, new TandemNotFoundError({ code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` }), refused('http')))
  let plugins: PluginHost
  try {
    plugins = await setUpPlugins(options.plugins ?? [], { schema, store, hub, metrics: metrics.registry })
  } catch (error) {
    // The plugins already set up are closed; release what started before them too.
    identity.close()
    await claims.close()
    await stopListening?.()
    await store.close().catch(() => undefined)
    throw error
  }
  const ctx: ServerContext = {
    schema,
    store,
    hub,
    pipeline,
    authenticate,
    identity,
    rateLimiter,
    metrics,
    claims: claimService,
    limits,
    presence: createPresence({ schema, store, hub }, options.presence),
    allowedOrigins: options.allowedOrigins,
  }
  app.route('/', createHttpRoutes(ctx, plugins.routes, options.plugins))

  const http = createAdaptorServer({ fetch: app.fetch }) as HttpServer
  const sockets = new SyncSockets(ctx)
  sockets.attach(http)
  metrics.gauge('tandem_connections', 'Open WebSocket connections', () => sockets.size)
  metrics.gauge('tandem_presence_entries', 'Presence entries on this node (WebSocket connections and HTTP participants)', () => ctx.presence.registry.size)
  metrics.gauge('tandem_log_head', 'The newest syncId this node knows', () => hub.head)
  hub.listen((entries) => {
    metrics.commits.inc(entries.length)
    const now = Date.now()
    for (const e of entries) metrics.fanOutDelay.observe(Math.max(0, now - Date.parse(e.createdAt)) / 1000)
  })
  watchClaimTimes(claims, metrics)
  // Claim entries may come from other nodes: let the coordinator catch up on that row.
  hub.listen((entries) => {
    for (const e of entries) if (e.claim) claims.observe(e.claim.state.target.model, e.claim.state.target.id)
  })
  const stopMaintenance = await startMaintenance({
    store,
    hub,
    sockets,
    idempotencyRetentionMs: options.idempotencyRetentionMs ?? 7 * 24 * 3600_000,
    logRetention: options.logRetention,
    retained: () => plugins.lowestRetained(),
    pingIntervalMs: options.limits?.pingIntervalMs ?? 30_000,
  })

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      const maintenanceStopped = stopMaintenance() // its timers stop at once; a compaction run under way is awaited below
      identity.close()
      sockets.close()
      ctx.presence.close()
      const claimsClosed = claims.close()
      http.closeAllConnections?.()
      await new Promise<void>((resolve) => http.close(() => resolve()))
      clearInterval(logPoll)
      await stopListening?.()
      await maintenanceStopped
      await claimsClosed
      await Promise.all(claimLogs)
      // After the HTTP server stopped accepting, before the store closes.
      await plugins.close()
      await store.close()
    })()
    return closed
  }

  const requested = options.port ?? Number(process.env['TANDEM_PORT'] ?? 7878)
  const host = options.host ?? '127.0.0.1'
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(requested, host, () => {
        http.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    // e.g. the port is taken: close the plugins and the store rather than leave them running.
    await close()
    throw error
  }
  const port = (http.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host

  return {
    url: `http://${urlHost}:${port}`,
    port,
    secretKey: secretKeys[0]!,
    app,
    store,
    get connections() {
      return sockets.size
    },
    accept: (socket) => sockets.accept(socket),
    close,
  }
}
