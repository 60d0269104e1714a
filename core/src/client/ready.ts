/** @module The client's `ready()` promise: one per client, its state readable without awaiting (for Suspense). */
import type { TandemError } from '../errors/index.ts'
import type { ReadyPromise } from './types.ts'

/** A ReadyPromise and the two ways to settle it; `status` changes in the same tick as the settle call. */
export function readyPromise(): { promise: ReadyPromise; resolve(): void; reject(error: TandemError): void } {
  let settle!: { resolve: () => void; reject: (e: unknown) => void }
  const base = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
  base.catch(() => undefined) // a client nobody awaits must not raise an unhandled rejection
  const promise = Object.assign(base, { status: 'pending' as ReadyPromise['status'], value: undefined, reason: undefined as TandemError | undefined })
  return {
    promise,
    resolve() {
      if (promise.status !== 'pending') return
      promise.status = 'fulfilled'
      settle.resolve()
    },
    reject(error) {
      if (promise.status !== 'pending') return
      promise.status = 'rejected'
      promise.reason = error
      settle.reject(error)
    },
  }
}
