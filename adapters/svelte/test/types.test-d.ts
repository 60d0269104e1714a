/**
 * Type tests for `@tandem/svelte` (checked by `tsc -p adapters/svelte` in `npm test`): with the schema
 * registered, the stores know the models, and a selector's type flows into `$store`.
 */
import { expectTypeOf } from 'vitest'
import type { ClaimHandle, ClaimState, ClaimView, OwnClaim, PresenceEntry, Status, TandemClient } from '@tandem/core'
import { get, type Readable } from 'svelte/store'
import { claim, getTandem, intent, presence, presenceList, setTandem, status, tandem, type TandemReadable } from '@tandem/svelte'
import { useClaim, useIntent, usePresence, usePresenceList, useStatus, useTandem } from '@tandem/svelte/runes'
import { schema } from './schema.ts'

declare module '@tandem/core' {
  interface Register {
    schema: typeof schema
  }
}

type Task = ReturnType<TandemClient<typeof schema>['tasks']['get']> & {}
type StoreValue<S> = S extends Readable<infer T> ? T : never

// What a component's <script> does (these run during component initialisation).
export function component(id: string) {
  expectTypeOf(setTandem({ schema, baseURL: '/api', getToken: async () => 'token' })).toEqualTypeOf<TandemClient<typeof schema>>()
  const client = getTandem()
  expectTypeOf(tandem()).toEqualTypeOf(client)
  // @ts-expect-error not a model of the registered schema
  void client.projects

  // The selector's type is the store's: `$title` is string | undefined.
  const title = tandem((t) => t.tasks.get(id)?.title)
  expectTypeOf(title).toEqualTypeOf<TandemReadable<string | undefined>>()
  expectTypeOf<StoreValue<typeof title>>().toEqualTypeOf<string | undefined>()
  expectTypeOf(get(tandem((t) => t.tasks.getAll({ where: { status: 'todo' } })))).toEqualTypeOf<Task[]>()
  // @ts-expect-error not a field of tasks
  tandem((t) => t.tasks.get(id)?.colour)
  // @ts-expect-error where on a field tasks do not have
  tandem((t) => t.tasks.getAll({ where: { colour: 'red' } }))
  // @ts-expect-error equal compares two results of the selector
  tandem((t) => t.tasks.getCount(), { equal: (a: string, b: string) => a === b })
  // Outside component initialisation, pass the client.
  tandem((t) => t.tasks.getCount(), { client })

  const view = claim({ model: 'tasks', id, field: 'title' })
  expectTypeOf<StoreValue<typeof view>>().toEqualTypeOf<ClaimView>()
  expectTypeOf(view.get().holder).toEqualTypeOf<ClaimState | null>()
  expectTypeOf(view.get().mine).toEqualTypeOf<OwnClaim | null>()
  expectTypeOf(view.claim({ action: 'editing' })).toEqualTypeOf<Promise<ClaimHandle<Task>>>()
  // @ts-expect-error not a field of tasks
  claim({ model: 'tasks', id, field: 'colour' })
  // @ts-expect-error not a model
  claim({ model: 'projects', id })

  expectTypeOf<StoreValue<ReturnType<typeof status>>>().toEqualTypeOf<Status>()

  expectTypeOf<StoreValue<ReturnType<typeof presence>>>().toEqualTypeOf<readonly PresenceEntry[]>()
  expectTypeOf(presence({ model: 'tasks', id })).toEqualTypeOf<TandemReadable<readonly PresenceEntry[]>>()
  expectTypeOf(presence({ client })).toEqualTypeOf<TandemReadable<readonly PresenceEntry[]>>()
  expectTypeOf(presenceList()).toEqualTypeOf<TandemReadable<readonly PresenceEntry[]>>()
  // @ts-expect-error not a model
  presence({ model: 'projects', id })
  intent({ model: 'tasks', id, action: 'viewing' })
  // @ts-expect-error not a model
  intent({ model: 'projects', id })
}

// The runes helpers: `.current` carries the same types.
export function runes(id: string) {
  expectTypeOf(useTandem((t) => t.tasks.get(id)?.title).current).toEqualTypeOf<string | undefined>()
  // @ts-expect-error not a field of tasks
  useTandem((t) => t.tasks.get(id)?.colour)
  const view = useClaim(() => ({ model: 'tasks', id }))
  expectTypeOf(view.current.heldByMe).toEqualTypeOf<boolean>()
  expectTypeOf(view.claim()).toEqualTypeOf<Promise<ClaimHandle<Task>>>()
  // @ts-expect-error not a field of tasks
  useClaim({ model: 'tasks', id, field: 'colour' })
  expectTypeOf(useStatus().current).toEqualTypeOf<Status>()
  expectTypeOf(usePresence(() => ({ model: 'tasks', id })).current).toEqualTypeOf<readonly PresenceEntry[]>()
  expectTypeOf(usePresenceList().current).toEqualTypeOf<readonly PresenceEntry[]>()
  useIntent(() => (id ? { model: 'tasks', id, action: 'editing' } : null))
  // @ts-expect-error not a model
  useIntent(() => ({ model: 'projects', id }))
}
