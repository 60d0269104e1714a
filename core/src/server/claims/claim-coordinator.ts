/**
 * @module `ClaimCoordinator`: who holds which row (or field), who waits, and
 * the fencing tokens that writes must carry. Small on purpose, so a
 * store-backed implementation can share claims between server nodes.
 */
import type { Actor, ClaimState, ClaimTarget } from '../../protocol/index.ts'

export interface AcquireInput {
  target: ClaimTarget
  action: string
  wait: boolean
  /** Refuse with `queue_too_deep` when this many or more conflicting claims are ahead. */
  maxQueueDepth?: number
  /** Lease length: a whole number of ms, 1 ms to 24 h (`claimTtlLimits`); anything else is refused before any state. */
  ttlMs: number
  /** How long to wait in line, same bounds (`claimTimeoutLimits`). */
  timeoutMs?: number
  /** The holder; `onBehalfOf` is kept for the log, the claim state shows id, kind and name. */
  holder: Pick<Actor, 'id' | 'kind' | 'name' | 'onBehalfOf'>
  credentialId: string
  /** The connection that owns the claim (its loss starts the grace period), or `http:<credential>`. */
  ownerId: string
  /** Sync groups of the row, so claim events reach exactly who can see it. */
  groups: readonly string[]
  /** Aborting (e.g. the HTTP request went away) cancels a waiting claim. */
  signal?: AbortSignal
}

export interface Grant {
  state: ClaimState
  /** The fencing token: writes under this claim carry it. */
  token: string
}

export interface ActiveClaim {
  state: ClaimState
  token: string
  credentialId: string
  ownerId: string
}

export interface ClaimsChange {
  model: string
  id: string
  groups: readonly string[]
  claims: ClaimState[]
}

export interface ClaimEvent {
  /** `queued` and `canceled` concern waiters; the others, holders. */
  event: 'queued' | 'granted' | 'released' | 'expired' | 'canceled'
  state: ClaimState
  groups: readonly string[]
  /** The holder as an actor (with `onBehalfOf`), for the log entry. */
  actor: Pick<Actor, 'id' | 'kind' | 'name' | 'onBehalfOf'>
}

export interface ClaimCoordinator {
  /** Join the line; resolves once granted. Throws `entity_claimed`, `queue_too_deep`, `grant_timeout`, `claim_lost`, or `invalid_request` for a duration out of range. */
  acquire(input: AcquireInput): Promise<Grant>
  /** End a claim (holder or waiter); returns its final state, or null if unknown. */
  release(claimId: string, status?: 'released' | 'expired' | 'canceled'): Promise<ClaimState | null>
  /** Renew the lease (and re-attach it to `ownerId`, e.g. after a reconnect). Throws `claim_lost`. */
  heartbeat(token: string, ownerId?: string): Promise<ClaimState>
  /** The active claim a token belongs to, if it is still the current grant (null for anything that is not a token). */
  byToken(token: string): Promise<ActiveClaim | null>
  /** A live claim (held or waiting) by id. */
  get(claimId: string): Promise<ActiveClaim | null>
  /** Active claims on a row. */
  activeOn(model: string, id: string): Promise<ActiveClaim[]>
  /** Every claim (holders and waiters) on a row, in line order. */
  claimsOn(model: string, id: string): Promise<ClaimState[]>
  /** Reorder the waiters of a target. */
  reorder(target: ClaimTarget, order: readonly string[]): Promise<void>
  /** The owner disconnected: drop its waiters now, its holds after `graceMs` unless it heartbeats back. */
  ownerGone(ownerId: string, graceMs: number): void
  /** Every row that has claims. */
  all(): Promise<ClaimsChange[]>
  /** A claim entry for this row reached the log (maybe from another node): refresh what this node knows. */
  observe(model: string, id: string): void
  /** Called whenever a row's claims change. */
  onChange(listener: (change: ClaimsChange) => void): () => void
  /** Called when a claim is granted or ends (for the log and audits). */
  onEvent(listener: (event: ClaimEvent) => void): () => void
  /** Stop: pending acquires are refused. May return a promise (the store coordinator takes this node's waiters out of the shared lines): await it before closing the store. */
  close(): void | Promise<void>
}
