/**
 * Type tests for `@tandem/vue` (checked by `tsc -p adapters/vue` in `npm test`): with the schema
 * registered, the composables know the models, and a selector's type flows into the ref.
 */
import { expectTypeOf } from 'vitest'
import type { ClaimState, OwnClaim, PresenceEntry, Status, TandemClient } from '@tandem/core'
import { defineComponent, h, type ShallowRef } from 'vue'
import { tandemPlugin, useClaim, useIntent, usePresence, usePresenceList, useStatus, useTandem } from '@tandem/vue'
import { schema } from './schema.ts'

declare module '@tandem/core' {
  interface Register {
    schema: typeof schema
  }
}

type Task = ReturnType<TandemClient<typeof schema>['tasks']['get']> & {}

export const TaskTitle = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const tandem = useTandem()
    expectTypeOf(tandem).toEqualTypeOf<TandemClient<typeof schema>>()
    // @ts-expect-error not a model of the registered schema
    void tandem.projects

    const title = useTandem((t) => t.tasks.get(props.id)?.title)
    expectTypeOf(title).toEqualTypeOf<Readonly<ShallowRef<string | undefined>>>()
    const todo = useTandem((t) => t.tasks.getAll({ where: { status: 'todo' } }))
    expectTypeOf(todo.value).toEqualTypeOf<Task[]>()
    // @ts-expect-error not a field of tasks
    useTandem((t) => t.tasks.get(props.id)?.colour)
    // @ts-expect-error where on a field tasks do not have
    useTandem((t) => t.tasks.getAll({ where: { colour: 'red' } }))
    // @ts-expect-error equal compares two results of the selector
    useTandem((t) => t.tasks.getCount(), { equal: (a: string, b: string) => a === b })

    const { holder, queue, mine, heldByMe, claim } = useClaim({ model: 'tasks', id: props.id, field: 'title' })
    expectTypeOf(holder.value).toEqualTypeOf<ClaimState | null>()
    expectTypeOf(queue.value).toEqualTypeOf<readonly ClaimState[]>()
    expectTypeOf(mine.value).toEqualTypeOf<OwnClaim | null>()
    expectTypeOf(heldByMe.value).toEqualTypeOf<boolean>()
    void claim({ action: 'editing' }).then((handle) => expectTypeOf(handle.data).toEqualTypeOf<Task>())
    useClaim(() => ({ model: 'tasks', id: props.id }))
    // @ts-expect-error not a field of tasks
    useClaim({ model: 'tasks', id: props.id, field: 'colour' })
    // @ts-expect-error not a model
    useClaim({ model: 'projects', id: props.id })

    expectTypeOf(useStatus().value).toEqualTypeOf<Status>()

    expectTypeOf(usePresence().value).toEqualTypeOf<readonly PresenceEntry[]>()
    expectTypeOf(usePresence(() => ({ model: 'tasks', id: props.id })).value).toEqualTypeOf<readonly PresenceEntry[]>()
    expectTypeOf(usePresenceList().value).toEqualTypeOf<readonly PresenceEntry[]>()
    // @ts-expect-error not a model
    usePresence({ model: 'projects', id: props.id })
    useIntent({ model: 'tasks', id: props.id, action: 'editing' })
    useIntent(() => (props.id ? { model: 'tasks', id: props.id } : null))
    // @ts-expect-error not a model
    useIntent({ model: 'projects', id: props.id })
    return () => h('p', title.value ?? '')
  },
})

// The plugin takes a client of the registered schema, or the options to make one.
declare const client: TandemClient<typeof schema>
void tandemPlugin.install
export const options: Parameters<Exclude<typeof tandemPlugin, Function>['install']>[1][] = [
  { client },
  { schema, baseURL: '/api', getToken: async () => 'token' },
]
