/**
 * @module Runes helpers (`@tandem/svelte/runes`): the same stores as `{ current }` objects (and `useIntent`, which
 * follows state with an `$effect`), for `.svelte`
 * and `.svelte.ts` code that prefers `tandem.current` to `$store`. Shipped uncompiled (`.svelte.js`, as
 * Svelte libraries are): the app's Svelte compiler compiles the runes.
 */
import type { ClaimView, ClaimViewArgs, ClaimViewStore, PresenceEntry, RegisteredClient, RegisteredSchema, RowOf, SelectOptions, Status } from '@tandem/core'
import { createSubscriber } from 'svelte/reactivity'
import { getTandem } from './context.ts'
import { claim, tandem, type TandemReadable } from './stores.ts'
import { presence, type PresenceTarget, type UsePresenceIntent } from './presence.ts'

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

/**
 * The other connections as `.current`; with a target (or a function returning one, to follow props), only those
 * whose intent is on that row.
 * @example
 * const here = usePresence(() => ({ model: 'tasks', id })) // here.current.length
 */
export function usePresence(target?: PresenceTarget | (() => PresenceTarget | undefined)): { readonly current: readonly PresenceEntry[] } {
  const client = getTandem()
  return reader(() => {
    const row = typeof target === 'function' ? target() : target
    return presence(row ? { model: row.model, id: row.id, client } : { client })
  })
}

/** Every connection this client can see, its own included, as `.current`. */
export function usePresenceList(): { readonly current: readonly PresenceEntry[] } {
  const client = getTandem()
  return reader(() => client.presence.list)
}

/**
 * Announce the intent `read()` returns while the component lives; re-sent when it changes, cleared when it turns
 * `null` and when the component is destroyed.
 * @example
 * useIntent(() => (editing ? { model: 'tasks', id, action: 'editing' } : null))
 */
export function useIntent(read: () => UsePresenceIntent | null): void {
  const client = getTandem()
  $effect(() => {
    const value = read()
    if (!value) return
    client.presence.setIntent(value)
    return () => client.presence.clearIntent()
  })
}
