/**
 * @module Runes helpers (`@tandem/svelte/runes`): the same stores as `{ current }` objects, for `.svelte`
 * and `.svelte.ts` code that prefers `tandem.current` to `$store`. Shipped uncompiled (`.svelte.js`, as
 * Svelte libraries are): the app's Svelte compiler compiles the runes.
 */
import type { ClaimView, ClaimViewArgs, ClaimViewStore, RegisteredClient, RegisteredSchema, RowOf, SelectOptions, Status } from '@tandem/core'
import { createSubscriber } from 'svelte/reactivity'
import { getTandem } from './context.ts'
import { claim, tandem, type TandemReadable } from './stores.ts'

/**
 * `{ current }` over a store made by `make`. `make` runs in a `$derived`, so props it reads rebuild the
 * store; `createSubscriber` listens while an effect reads `current`, and stops when none does.
 */
function reader<T>(make: () => TandemReadable<T>): { readonly current: T } {
  const live = $derived.by(() => {
    const store = make()
    return { store, track: createSubscriber((update) => store.listen(update)) }
  })
  return {
    get current() {
      live.track()
      return live.store.get()
    },
  }
}

/**
 * `selector(tandem)` as `.current`, re-read when what it read changes (and the result is not `equal`).
 * Call during component initialisation.
 * @example
 * const title = useTandem((t) => t.tasks.get(id)?.title) // {title.current}
 */
export function useTandem<T>(selector: (tandem: RegisteredClient) => T, options?: SelectOptions<T>): { readonly current: T } {
  const client = getTandem()
  return reader(() => tandem(selector, { ...options, client }))
}

type Models = keyof RegisteredSchema['models'] & string

/**
 * One target's claim state as `.current` (holder, queue, mine, heldByMe), with `claim()` and `release()`.
 * Pass a function to follow props: `useClaim(() => ({ model: 'tasks', id }))`.
 */
export function useClaim<K extends Models>(
  args: ClaimViewArgs<RegisteredSchema, K> | (() => ClaimViewArgs<RegisteredSchema, K>),
): { readonly current: ClaimView } & Pick<ClaimViewStore<RowOf<RegisteredSchema['models'][K]>>, 'claim' | 'release'> {
  const client = getTandem()
  const view = $derived(claim({ ...(typeof args === 'function' ? args() : args), client }))
  const current = reader(() => view)
  return {
    get current() {
      return current.current
    },
    claim: (options) => view.claim(options),
    release: () => view.release(),
  }
}

/** The connection status as `.current`. */
export function useStatus(): { readonly current: Status } {
  const client = getTandem()
  return reader(() => client.status)
}
