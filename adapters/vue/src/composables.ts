/**
 * @module The composables: each copies one of core's stores into a `shallowRef` and stops listening
 * when the calling scope (component, `effectScope`) is disposed.
 */
import {
  shallowEqual,
  TandemValidationError,
  type ClaimView,
  type ClaimViewArgs,
  type ClaimViewStore,
  type RegisteredClient,
  type RegisteredSchema,
  type RowOf,
  type SelectOptions,
  type Status,
} from '@tandem/core'
import { computed, getCurrentScope, shallowRef, toValue, watchEffect, type ComputedRef, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { injectTandem } from './plugin.ts'

/**
 * A `shallowRef` that follows the store `make()` returns. `make` runs in a Vue effect, so a store built
 * from props or refs is rebuilt when they change; the old one is unsubscribed.
 */
export function follow<T>(make: () => Subscribable<T>, equal: (a: T, b: T) => boolean = shallowEqual): Readonly<ShallowRef<T>> {
  if (!getCurrentScope()) {
    throw new TandemValidationError({ code: 'invalid_request', message: 'Tandem composables need a scope: call them in setup() or inside effectScope().run()' })
  }
  let ref: ShallowRef<T> | undefined
  // The last value, kept outside the ref: reading ref.value in the effect would make the effect depend on it.
  let last: T
  let failed: { error: unknown } | undefined
  watchEffect((onCleanup) => {
    try {
      // subscribe() calls back at once, inside this effect, so the props or refs read while building the store are tracked.
      const off = make().subscribe((value) => {
        if (ref && equal(last, value)) return
        last = value
        if (ref) ref.value = value
        else ref = shallowRef(value)
      })
      onCleanup(off)
    } catch (error) {
      // The first run throws from the composable itself (a wrong model or field), not into Vue's error handler.
      if (!ref) failed = { error }
      else throw error
    }
  })
  if (failed) throw failed.error
  return ref!
}

/** What `follow` needs of a store (core's stores, and Svelte's contract): subscribe calls back at once. */
interface Subscribable<T> {
  subscribe(listener: (value: T) => void): () => void
}

/** The typed client from `tandemPlugin`. */
export function useTandem(): RegisteredClient
/**
 * A ref of `selector(tandem)`: it changes only when what the selector read changes and the result is not
 * `equal` (default `shallowEqual`), so a component reading row A does not re-render when row B changes.
 * Refs and props read by the selector count too: the store is rebuilt when they change.
 * @example
 * const title = useTandem((t) => t.tasks.get(props.id)?.title)
 */
export function useTandem<T>(selector: (tandem: RegisteredClient) => T, options?: SelectOptions<T>): Readonly<ShallowRef<T>>
export function useTandem<T>(selector?: (tandem: RegisteredClient) => T, options?: SelectOptions<T>): RegisteredClient | Readonly<ShallowRef<T>> {
  const client = injectTandem()
  if (!selector) return client
  return follow(() => client.select(selector, options), options?.equal)
}

/** The connection status as a ref: `connecting`, `connected`, `offline`, `backoff`, `auth_blocked`. */
export function useStatus(): Readonly<ShallowRef<Status>> {
  const client = injectTandem()
  return follow(() => client.status)
}

type Models = keyof RegisteredSchema['models'] & string
type RowOfModel<K extends Models> = RowOf<RegisteredSchema['models'][K]>

/** What `useClaim` returns: refs to destructure in `<script setup>`, and the two verbs. */
export interface UseClaimResult<R> {
  /** The whole view (holder, queue, mine, heldByMe) as one ref. */
  view: Readonly<ShallowRef<ClaimView>>
  holder: ComputedRef<ClaimView['holder']>
  queue: ComputedRef<ClaimView['queue']>
  mine: ComputedRef<ClaimView['mine']>
  heldByMe: ComputedRef<boolean>
  /** Claim the target (waits in line by default; see `tandem.<model>.claim`). */
  claim: ClaimViewStore<R>['claim']
  /** Give back this client's claim on the target; a no-op when it holds none. */
  release: () => Promise<void>
}

/**
 * One target's claim state, reactive: who holds it and doing what, who waits, and this client's claim.
 * The args may be a ref or a getter (e.g. `() => ({ model: 'tasks', id: props.id })`).
 * @example
 * const { holder, claim, release } = useClaim({ model: 'tasks', id: 't1' })
 */
export function useClaim<K extends Models>(args: MaybeRefOrGetter<ClaimViewArgs<RegisteredSchema, K>>): UseClaimResult<RowOfModel<K>> {
  const client = injectTandem()
  let store: ClaimViewStore<RowOfModel<K>> | undefined
  const view = follow<ClaimView>(() => (store = client.claimView(toValue(args)) as never))
  return {
    view,
    holder: computed(() => view.value.holder),
    queue: computed(() => view.value.queue),
    mine: computed(() => view.value.mine),
    heldByMe: computed(() => view.value.heldByMe),
    claim: (options) => store!.claim(options),
    release: () => store!.release(),
  }
}
