/** @module Single-flight: many concurrent callers share one in-flight call. */

/** Wrap `fn` so that calls made while one is running share its promise. */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined
  return () => {
    inFlight ??= fn().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
}
