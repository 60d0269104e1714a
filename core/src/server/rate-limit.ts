/** @module Token buckets per credential and per connection → `rate_limited` with a retry-after. */
import { TandemRateLimitError } from '../errors/index.ts'
import type { Session } from './identity/session.ts'

export interface RateLimitOptions {
  /** Requests (HTTP calls and WebSocket requests) per second for one session token (default 50). */
  sessionPerSecond?: number
  /** Burst for a session token (default 2× the rate). */
  sessionBurst?: number
  /** Per second for one secret key (default unlimited: secret keys are trusted server code). */
  secretPerSecond?: number
  secretBurst?: number
  /** Requests per second on one WebSocket of a session token (default 100; burst 2×). Secret-key sockets: unlimited unless `secretConnectionPerSecond`. */
  connectionPerSecond?: number
  secretConnectionPerSecond?: number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  #buckets = new Map<string, Bucket>()
  #options: RateLimitOptions

  constructor(options: RateLimitOptions = {}) {
    this.#options = options
  }

  /** Take one token for `session`, or throw `rate_limited` saying when to retry. */
  take(session: Session, now = Date.now()): void {
    const rate = session.secret ? (this.#options.secretPerSecond ?? Infinity) : (this.#options.sessionPerSecond ?? 50)
    const burst = session.secret ? (this.#options.secretBurst ?? rate * 2) : (this.#options.sessionBurst ?? rate * 2)
    this.#take(session.credentialId, rate, burst, 'credential', now)
  }

  /** Take one token for one connection of `session`. */
  takeConnection(connectionId: string, session: Session, now = Date.now()): void {
    const rate = session.secret ? (this.#options.secretConnectionPerSecond ?? Infinity) : (this.#options.connectionPerSecond ?? 100)
    this.#take(connectionId, rate, rate * 2, 'connection', now)
  }

  /** A connection closed: drop its bucket. */
  forget(key: string): void {
    this.#buckets.delete(key)
  }

  #take(key: string, rate: number, burst: number, what: string, now: number): void {
    if (rate === Infinity) return
    let b = this.#buckets.get(key)
    if (!b) {
      if (this.#buckets.size > 100_000) this.#sweep(now, rate, burst)
      this.#buckets.set(key, (b = { tokens: burst, at: now }))
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      return
    }
    const retryAfter = (1 - b.tokens) / rate
    throw new TandemRateLimitError({
      code: 'rate_limited',
      message: `Too many requests for this ${what} (${rate}/s); retry in ${retryAfter.toFixed(2)} s`,
      details: { retryAfter, limit: rate, scope: what },
    })
  }

  /** Forget full buckets so memory stays bounded. */
  #sweep(now: number, rate: number, burst: number): void {
    for (const [k, b] of this.#buckets) if (b.tokens + ((now - b.at) / 1000) * rate >= burst) this.#buckets.delete(k)
  }
}
