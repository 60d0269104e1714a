/** @module The hooks: each ties one of core's stores to React's lifecycle with `useSyncExternalStore`. */
import { use, useMemo, useSyncExternalStore } from 'react'
import type { ClaimView, ClaimViewArgs, ClaimViewStore, RegisteredClient, RegisteredSchema, RowOf, Schema, Status, TandemClient } from '@tandem/core'
import { useClient } from './context.ts'

/** A nanostores-style store: what `useSyncExternalStore` is handed (both functions work unbound). */
interface Readable<T> {
  get(): T
  listen(listener: () => void): () => void
}

const useStore = <T>(store: Readable<T>): T => useSyncExternalStore(store.listen, store.get, store.get)
// RegisteredClient may be a registered client type; underneath it is always a core client.
const core = (client: RegisteredClient) => client as unknown as TandemClient<Schema>

export interface UseTandemOptions<T> {
  /** When two results count as the same (no re-render). Default: core's `shallowEqual`. Read when the store is made. */
  equal?: (a: T, b: T) => boolean
  /**
   * Make the store once per these values instead of once per selector function, so an inline selector
   * keeps its store: `useTandem((t) => t.tasks.get(id), { deps: [id] })`. Keep the list's length fixed.
   */
  deps?: readonly unknown[]
}

/**
 * `useTandem()` is the provider's typed client. `useTandem(selector)` is the selector's result, re-rendering only when
 * it changes (compared with `equal`, default `shallowEqual`, so a new array with the same rows is no change).
 * One store is made per selector function: pass a stable one (module level or `useCallback`), or `deps`.
 * @example
 * const title = useTandem(useCallback((t) => t.tasks.get(id)?.title, [id]))
 * const todo = useTandem((t) => t.tasks.getAll({ where: { status: 'todo' } }), { deps: [] })
 */
export function useTandem(): RegisteredClient
export function useTandem<T>(selector: (tandem: RegisteredClient) => T, options?: UseTandemOptions<T>): T
export function useTandem<T>(selector?: (tandem: RegisteredClient) => T, options?: UseTandemOptions<T>): T | RegisteredClient {
  const client = useClient()
  const deps = options?.deps ? [client, ...options.deps] : [client, selector]
  const store = useMemo(
    () => (selector ? core(client).select(selector as never, options?.equal ? { equal: options.equal } : {}) : null),
    deps,
  ) as Readable<T> | null
  const value = useSyncExternalStore(store?.listen ?? noListen, store?.get ?? noValue, store?.get ?? noValue)
  return store ? value : client
}
const noListen = () => () => undefined
const noValue = () => undefined as never

/** The model and row (or field) a `useClaim` watches: checked against the registered schema. */
export type UseClaimArgs<K extends keyof RegisteredSchema['models'] & string> = ClaimViewArgs<RegisteredSchema, K>

/** A {@link ClaimView} (holder, queue, mine, heldByMe) with the target's `claim()` / `release()`. */
export type UseClaimResult<R> = ClaimView & Pick<ClaimViewStore<R>, 'target' | 'claim' | 'release'>

/**
 * One target's claim state (core's `claimView`), live: who holds it and doing what, who waits, this client's claim.
 * @example
 * const { holder, heldByMe, claim, release } = useClaim({ model: 'tasks', id })
 * holder ? `${holder.heldBy.name} is ${holder.action}` : 'free'
 */
export function useClaim<K extends keyof RegisteredSchema['models'] & string>(args: UseClaimArgs<K>): UseClaimResult<RowOf<RegisteredSchema['models'][K]>> {
  const client = useClient()
  const { model, id, field } = args
  const store = useMemo(() => core(client).claimView({ model, id, ...(field !== undefined ? { field } : {}) }), [client, model, id, field])
  const view = useStore(store)
  return useMemo(() => ({ ...view, target: store.target, claim: store.claim, release: store.release }) as never, [view, store])
}

/** The connection status: `connecting`, `connected`, `offline`, `backoff` or `auth_blocked`. */
export function useStatus(): Status {
  return useStore(useClient().status)
}

/**
 * Suspend until the client is connected and bootstrapped (core's `ready()` promise, read with React's `use`). Throws
 * the `TandemError` to the nearest error boundary when it fails for good (credentials refused, client disposed).
 * The `<Suspense>` boundary must sit below a provider that makes its client: one above it would keep the provider
 * from mounting, and so from connecting.
 */
export function useReady(): void {
  use<void>(useClient().ready() as Promise<void>)
}
