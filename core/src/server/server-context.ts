/** @module `ServerContext`: what every part of one server shares, built once in `createServer` and handed to both doors. */
import type { Schema } from '../schema/model.ts'
import type { ClaimServiceContext } from './claims/claim-service.ts'
import type { CommitPipeline } from './commit/commit-pipeline.ts'
import type { Identity } from './identity/identity.ts'
import type { Authenticator } from './identity/session.ts'
import type { Metrics } from './metrics.ts'
import type { PresenceService } from './presence/presence-service.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { Store } from './store.ts'
import type { Hub } from './sync/hub.ts'

/** The server's limits with their defaults filled in. */
export interface ResolvedLimits {
  maxFrameBytes: number
  maxBodyBytes: number
  maxOperationsPerCommit: number
  maxBufferedBytes: number
  /** How long a slow consumer has to read its close frame before the socket is cut. */
  slowConsumerGraceMs: number
  /** How long a socket may take to say hello. */
  helloTimeoutMs: number
  /** Longest `wait` a long-poll may ask for, in seconds. */
  maxWaitSeconds: number
}

export interface ServerContext {
  schema: Schema
  store: Store
  /** Fan-out of committed log entries to this node's subscribers. */
  hub: Hub
  pipeline: CommitPipeline
  authenticate: Authenticator
  identity: Identity
  rateLimiter: RateLimiter
  metrics: Metrics
  /** The claim policy's context (coordinator, config). */
  claims: ClaimServiceContext
  limits: ResolvedLimits
  /** Who is connected and what they look at (in memory, per node). */
  presence: PresenceService
  /** Browser origins allowed by CORS and the WebSocket upgrade (default: any; the API uses bearer tokens, not cookies). */
  allowedOrigins: readonly string[] | undefined
}
