/**
 * @module Presence policy for both doors: who joins (from the connection's
 * identity), setting an intent (checked against the schema, rate-limited per
 * connection, its row's groups looked up as the setter may see them), rows
 * followed through the log, and HTTP participants swept when their TTL runs out.
 */
import { checkPresenceIntent, type PresenceIntent } from '../../protocol/index.ts'
import type { Schema } from '../../schema/model.ts'
import type { Session } from '../identity/session.ts'
import { RateLimiter } from '../rate-limit.ts'
import { getVisibleRow, type Store } from '../store.ts'
import type { Hub } from '../sync/hub.ts'
import { participantOf, PresenceRegistry } from './presence-registry.ts'

export interface PresenceOptions {
  /** Intent changes per second on one connection (default 10; burst 2×). More fail with `rate_limited`. */
  intentsPerSecond?: number
  /** How long an HTTP participant lives without a `PUT` or a poll of `GET /v1/presence`, in ms (default 30 s). */
  httpTtlMs?: number
}

export interface PresenceService {
  readonly registry: PresenceRegistry
  readonly httpTtlMs: number
  /** Add a connection's entry (no intent yet). */
  join(connectionId: string, session: Session, extra?: { expiresAt?: number; stillValid?: () => boolean }): void
  /** Check, rate-limit and set (or clear, with null) a connection's intent. */
  setIntent(session: Session, connectionId: string, intent: unknown): Promise<void>
  leave(connectionId: string): void
  close(): void
}

export function createPresence(ctx: { schema: Schema; store: Store; hub: Hub }, options: PresenceOptions = {}): PresenceService {
  const registry = new PresenceRegistry()
  const rate = options.intentsPerSecond ?? 10
  const limiter = new RateLimiter({ connectionPerSecond: rate, secretConnectionPerSecond: rate })
  // The row lookup is async: only the latest request of a connection may land, so intents never go back in time.
  const latest = new Map<string, number>()
  let sequence = 0

  const stopFollowing = ctx.hub.listen((entries) => {
    for (const e of entries) for (const c of e.changes) registry.rowChanged(c.model, c.id, c.groups)
  })
  const sweeper = setInterval(() => registry.sweep(), 1000)
  sweeper.unref()

  return {
    registry,
    httpTtlMs: options.httpTtlMs ?? 30_000,
    join(connectionId, session, extra = {}) {
      const now = new Date().toISOString()
      registry.join({
        connectionId,
        participant: participantOf(session),
        groups: session.groups,
        credentialId: session.credentialId,
        connectedAt: now,
        updatedAt: now,
        intent: null,
        intentGroups: null,
        ...extra,
      })
    },
    async setIntent(session, connectionId, value) {
      limiter.takeConnection(connectionId, session)
      const intent: PresenceIntent | null = value === null ? null : checkPresenceIntent(ctx.schema, value)
      const mine = ++sequence
      latest.set(connectionId, mine)
      const row = intent ? await getVisibleRow(ctx.store, intent.model, intent.id, session.groups) : null
      if (latest.get(connectionId) !== mine) return
      latest.delete(connectionId)
      registry.setIntent(connectionId, intent, row ? row.groups : null)
    },
    leave(connectionId) {
      limiter.forget(connectionId)
      latest.delete(connectionId)
      registry.leave(connectionId)
    },
    close() {
      stopFollowing()
      clearInterval(sweeper)
    },
  }
}
