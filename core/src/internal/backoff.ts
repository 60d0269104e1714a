/** @module Exponential backoff with jitter, capped. */

export interface BackoffOptions {
  baseMs?: number
  maxMs?: number
  /** 0..1: how much of the delay is randomised. */
  jitter?: number
}

/** Delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 250
  const max = options.maxMs ?? 15_000
  const jitter = options.jitter ?? 0.3
  const raw = Math.min(max, base * 2 ** Math.min(attempt, 30))
  return Math.round(raw * (1 - jitter + jitter * 2 * random()))
}
