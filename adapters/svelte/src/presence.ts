/**
 * @module The presence stores: `presence(target?)` and `presenceList()` (core's `tandem.presence` atoms, for
 * `$store`), and `intent(value)`, announced while the component lives.
 */
import type { PresenceEntry, PresenceIntent, RegisteredSchema } from '@tandem/core'
import { onDestroy } from 'svelte'
import { getTandem } from './context.ts'
import type { TandemReadable, WithClient } from './stores.ts'

type Models = keyof RegisteredSchema['models'] & string

/** A row of the registered schema: what `presence` narrows to. */
export interface PresenceTarget {
  model: Models
  id: string
}

/** An intent on a row of the registered schema (core's `PresenceIntent`, with the model checked). */
export type UsePresenceIntent = PresenceIntent & { model: Models }

/**
 * The other connections (never this client's own) as a store; with a target, only those whose intent is on that row.
 * A `$derived(presence({ model, id, client }))` follows props.
 * @example
 * const here = presence({ model: 'tasks', id }) // {#each $here as p}{p.participant.name}{/each}
 */
export function presence(target?: (PresenceTarget & WithClient) | WithClient): TandemReadable<readonly PresenceEntry[]> {
  const client = target?.client ?? getTandem()
  const row = target && 'model' in target ? { model: target.model, id: target.id } : undefined
  return client.presence.others(row)
}

/** Every connection this client can see, its own included (`self: true`), as a store. */
export function presenceList(options?: WithClient): TandemReadable<readonly PresenceEntry[]> {
  return (options?.client ?? getTandem()).presence.list
}

/**
 * Announce `value` from now until the component is destroyed. Call during component initialisation; to follow
 * state (a focused card), use `useIntent(() => …)` from `@tandem/svelte/runes`.
 * @example
 * intent({ model: 'tasks', id, action: 'viewing' })
 */
export function intent(value: UsePresenceIntent, options?: WithClient): void {
  const client = options?.client ?? getTandem()
  client.presence.setIntent(value)
  onDestroy(() => client.presence.clearIntent())
}
