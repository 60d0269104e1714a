/** @module A write's promise that gives up waiting after `ms` (the write itself stays queued). */
import { TandemConnectionError } from '../errors/index.ts'

/** Reject with `timeout` after `ms` (no limit when undefined); the write it waits for may still land. */
export function withTimeout<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new TandemConnectionError({ code: 'timeout', message: `No confirmation within ${ms} ms (the write stays queued and may still land)` })),
      ms,
    )
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    )
  })
}
