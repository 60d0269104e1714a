/** @module `webhooks()` options and their defaults. */
import type { DeliveryAttempt } from './endpoint.ts'
import type { Resolver } from './address-guard.ts'

/** Delays before each retry after a failed attempt (spec §8): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then the endpoint is disabled. */
export const defaultRetrySchedule: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]

export interface WebhooksOptions {
  /** Let endpoints reach loopback and private addresses, and loopback over http (`tandem dev` sets it). Cloud metadata addresses stay refused. Default false. */
  allowPrivateUrls?: boolean
  /** Per-attempt deadline (connect, send, answer), in ms. Default 10 000. */
  timeoutMs?: number
  /** At most this many events in one POST (whole log entries: one larger entry still goes alone). Default 100. */
  maxBatchEvents?: number
  /** At most this many bytes of events in one POST (same rule). Default 256 KiB. */
  maxBatchBytes?: number
  /** Delivery attempts kept per endpoint for `GET …/deliveries`. Default 100. */
  deliveryHistory?: number
  /** How often endpoint changes made elsewhere (the CLI, another node) are picked up, in ms. Default 1000. */
  refreshMs?: number
  /**
   * How long a node owns an endpoint's delivery without renewing, in ms (at least 300). Renewed before each attempt and every
   * third of it while one runs; an attempt whose lease could not be renewed is cut off a quarter of it before the lease ends,
   * so a node never delivers past its lease. After a node dies without closing, another node (or the restarted one) resumes
   * once the lease ends. Default 10 000.
   */
  leaseMs?: number
  /** For tests: the retry delays in ms (the spec's schedule by default), so the whole schedule and the auto-disable run in seconds. */
  retrySchedule?: readonly number[]
  /** For tests: how host names resolve (default `node:dns` lookup of all addresses). */
  resolve?: Resolver
  /** Called after every recorded attempt (tests, metrics). Must not throw. */
  onAttempt?: (endpointId: string, attempt: DeliveryAttempt) => void
}

export type ResolvedOptions = Required<Omit<WebhooksOptions, 'onAttempt'>> & Pick<WebhooksOptions, 'onAttempt'>
