/**
 * @module The stores: `tandem(selector)`, `claim({ model, id, field? })` and `status()`, core's stores as
 * they are (they follow Svelte's store contract), for `$store` in components.
 */
import type { ClaimViewArgs, ClaimViewStore, RegisteredClient, RegisteredSchema, RowOf, SelectOptions, Status } from '@tandem/core'
import type { Readable } from 'svelte/store'
import { getTandem } from './context.ts'

/** Where a store finds its client: `client` when given, else the component's context (`setTandem`). */
export interface WithClient {
  /** Pass the client outside component initialisation (in a `$derived`, a module, a test). */
  client?: RegisteredClient
}

/** A Svelte readable store that also reads synchronously (`get()`) and listens without the first call (`listen`). */
export interface TandemReadable<T> extends Readable<T> {
  get(): T
  listen(listener: (value: T) => void): () => void
}

/** The typed client from `setTandem`. */
export function tandem(): RegisteredClient
/**
 * A readable store of `selector(tandem)`: it changes only when what the selector read changes and the result
 * is not `equal` (default `shallowEqual`). The selector runs once at once, so a `$derived(tandem(...))`
 * follows the props it reads.
 * @example
 * const title = tandem((t) => t.tasks.get(id)?.title) // {$title}
 */
export function tandem<T>(selector: (tandem: RegisteredClient) => T, options?: SelectOptions<T> & WithClient): TandemReadable<T>
export function tandem<T>(selector?: (tandem: RegisteredClient) => T, options?: SelectOptions<T> & WithClient): RegisteredClient | TandemReadable<T> {
  const client = options?.client ?? getTandem()
  if (!selector) return client
  const store = client.select(selector, options)
  store.get()
  return store
}

type Models = keyof RegisteredSchema['models'] & string

/**
 * One target's claim state as a store (`$view.holder`, `$view.queue`, `$view.mine`, `$view.heldByMe`),
 * with `view.claim(options)` and `view.release()`.
 * @example
 * const view = claim({ model: 'tasks', id }) // {$view.holder?.heldBy.name}
 */
export function claim<K extends Models>(args: ClaimViewArgs<RegisteredSchema, K> & WithClient): ClaimViewStore<RowOf<RegisteredSchema['models'][K]>> {
  const { client = getTandem(), ...target } = args
  return client.claimView(target as ClaimViewArgs<RegisteredSchema, K>)
}

/** The connection status as a store: `connecting`, `connected`, `offline`, `backoff`, `auth_blocked`. */
export function status(options?: WithClient): TandemReadable<Status> {
  return (options?.client ?? getTandem()).status
}
