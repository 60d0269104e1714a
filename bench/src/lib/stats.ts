/** @module Timing and summary statistics. */

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = (): number => performance.now()

/** Nearest-rank percentile of `samples` (0 < p ≤ 100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export const median = (samples: readonly number[]): number => percentile(samples, 50)

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

/** Reject with a clear message when `promise` takes longer than `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${what} took longer than ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    )
  })
}

/** Let pending I/O and timers run (lets sockets settle between samples). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
