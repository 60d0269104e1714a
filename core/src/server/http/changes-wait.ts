/**
 * @module The wait of a `GET /v1/changes` long-poll: until the log passes `after`, or (when the
 * caller names a presence `version`) until presence changes, whichever comes first. Long-poll
 * clients get presence through this one parked request instead of a second one.
 */
import type { Session } from '../identity/session.ts'
import { owned } from '../presence/presence-routes.ts'
import type { PresenceService } from '../presence/presence-service.ts'
import type { Hub } from '../sync/hub.ts'

export interface ChangesWait {
  after: number
  waitMs: number
  /** The presence version the caller has seen: a presence change past it ends the wait too. */
  presence?: number | undefined
}

/** Resolves when the wait is over; the loser's timer and listener go with one shared abort. */
export async function waitForNews(hub: Hub, presence: PresenceService, wait: ChangesWait, signal: AbortSignal): Promise<void> {
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  signal.addEventListener('abort', onAbort)
  try {
    const log = hub.waitPast(wait.after, wait.waitMs, stop.signal)
    await (wait.presence === undefined ? log : Promise.race([log, presence.registry.waitPast(wait.presence, wait.waitMs, stop.signal)]))
  } finally {
    signal.removeEventListener('abort', onAbort)
    stop.abort()
  }
}

/** Keep the caller's HTTP participant alive for `forMs` plus its TTL; an unknown or foreign id is ignored (never a 404 here). */
export function keepAlive(presence: PresenceService, session: Session, connectionId: string | undefined, forMs = 0): void {
  if (connectionId === undefined || !owned(presence, session, connectionId)) return
  presence.registry.refresh(connectionId, Date.now() + forMs + presence.httpTtlMs)
}

/** The page body with `presenceVersion` spliced in before its closing brace (the body is shared: never re-encoded). */
export function withPresenceVersion(body: string, version: number | undefined): string {
  return version === undefined ? body : `${body.slice(0, -1)},"presenceVersion":${version}}`
}
