/** @module The presence composables: core's `tandem.presence` atoms as `shallowRef`s, and an intent tied to a scope. */
import { TandemValidationError, type PresenceEntry, type PresenceIntent, type RegisteredSchema } from '@tandem/core'
import { getCurrentScope, toValue, watchEffect, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { follow } from './composables.ts'
import { injectTandem } from './plugin.ts'

type Models = keyof RegisteredSchema['models'] & string

/** A row of the registered schema: what `usePresence` narrows to. */
export interface PresenceTarget {
  model: Models
  id: string
}

/** An intent on a row of the registered schema (core's `PresenceIntent`, with the model checked). */
export type UsePresenceIntent = PresenceIntent & { model: Models }

/**
 * The other connections (never this client's own) as a ref; with a `target`, only those whose intent is on that row.
 * The target may be a ref or a getter (`() => ({ model: 'tasks', id: props.id })`): the ref follows it.
 * @example
 * const here = usePresence(() => ({ model: 'tasks', id: props.id }))
 */
export function usePresence(target?: MaybeRefOrGetter<PresenceTarget | undefined>): Readonly<ShallowRef<readonly PresenceEntry[]>> {
  const client = injectTandem()
  return follow(() => {
    const row = toValue(target)
    const only = row ? { model: row.model, id: row.id } : undefined
    return client.presence.others(only)
  })
}

/** Every connection this client can see, its own included (`self: true`), as a ref. */
export function usePresenceList(): Readonly<ShallowRef<readonly PresenceEntry[]>> {
  const client = injectTandem()
  return follow(() => client.presence.list)
}

/**
 * Announce `intent` while the calling scope lives and the intent is not `null`; cleared when it turns `null` and
 * when the scope is disposed. A ref or getter is followed.
 * @example
 * useIntent(() => (editing.value ? { model: 'tasks', id: props.id, action: 'editing' } : null))
 */
export function useIntent(intent: MaybeRefOrGetter<UsePresenceIntent | null>): void {
  const client = injectTandem()
  if (!getCurrentScope()) {
    throw new TandemValidationError({ code: 'invalid_request', message: 'useIntent needs a scope: call it in setup() or inside effectScope().run()' })
  }
  // Clearing in the cleanup: it runs before the effect re-runs with a new intent, and when the scope is disposed.
  watchEffect((onCleanup) => {
    const value = toValue(intent)
    if (!value) return
    client.presence.setIntent(value)
    onCleanup(() => client.presence.clearIntent())
  })
}
