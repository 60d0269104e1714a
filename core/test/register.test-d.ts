/**
 * Type tests for `Register` (checked by `tsc` in `npm test`): once an app registers its schema, code
 * typed with `RegisteredClient` — the framework hooks — knows the models without generics at the call.
 */
import type { ReadableAtom } from 'nanostores'
import { expectTypeOf } from 'vitest'
import type {
  ClaimHandle,
  ClaimView,
  ClaimViewArgs,
  ClaimViewStore,
  OwnClaim,
  RegisteredClient,
  RegisteredSchema,
  TandemClient,
  TandemError,
} from '@tandem/core'
import { schema } from './fixtures.ts'

declare module '@tandem/core' {
  interface Register {
    schema: typeof schema
  }
}

type Task = ReturnType<TandemClient<typeof schema>['tasks']['get']> & {}

// What a binding declares: no generics to spell at the call site.
declare function useTandem(): RegisteredClient
declare function useTandem<T>(selector: (tandem: RegisteredClient) => T): T
declare function useClaim<K extends keyof RegisteredSchema['models'] & string>(args: ClaimViewArgs<RegisteredSchema, K>): ClaimView

export function registered() {
  expectTypeOf<RegisteredSchema>().toEqualTypeOf<typeof schema>()
  expectTypeOf<RegisteredClient>().toEqualTypeOf<TandemClient<typeof schema>>()

  const tandem = useTandem()
  expectTypeOf(tandem.tasks.get('x')).toEqualTypeOf<Task | undefined>()
  // @ts-expect-error not a model of the registered schema
  void tandem.projects

  // A selector's return type flows out.
  expectTypeOf(useTandem((t) => t.tasks.get('x')?.title)).toEqualTypeOf<string | undefined>()
  expectTypeOf(useTandem((t) => t.tasks.getAll({ where: { status: 'todo' } }))).toEqualTypeOf<Task[]>()
  // @ts-expect-error not a field of tasks
  useTandem((t) => t.tasks.get('x')?.colour)
  // @ts-expect-error where on a field tasks do not have
  useTandem((t) => t.tasks.getAll({ where: { colour: 'red' } }))

  // useClaim: model and field are checked against the schema.
  expectTypeOf(useClaim({ model: 'tasks', id: 'x', field: 'title' })).toEqualTypeOf<ClaimView>()
  useClaim({ model: 'weatherReports', id: 'x', field: 'forecast' })
  // @ts-expect-error not a field of tasks
  useClaim({ model: 'tasks', id: 'x', field: 'colour' })
  // @ts-expect-error forecast belongs to weatherReports
  useClaim({ model: 'tasks', id: 'x', field: 'forecast' })
  // @ts-expect-error not a model
  useClaim({ model: 'projects', id: 'x' })

  // The stores on the client.
  expectTypeOf(tandem.select((t) => t.tasks.getCount())).toEqualTypeOf<ReadableAtom<number>>()
  expectTypeOf(tandem.authError).toEqualTypeOf<ReadableAtom<TandemError | null>>()
  expectTypeOf(tandem.ownClaims).toEqualTypeOf<ReadableAtom<readonly OwnClaim[]>>()
  expectTypeOf(tandem.ready().status).toEqualTypeOf<'pending' | 'fulfilled' | 'rejected'>()
  const view = tandem.claimView({ model: 'tasks', id: 'x' })
  expectTypeOf(view).toEqualTypeOf<ClaimViewStore<Task>>()
  expectTypeOf(view.claim({ action: 'editing' })).toEqualTypeOf<Promise<ClaimHandle<Task>>>()
  // @ts-expect-error the view's target is fixed: no id here
  void view.claim({ id: 'y' })
  // @ts-expect-error not a field of tasks
  tandem.claimView({ model: 'tasks', id: 'x', field: 'colour' })
  // @ts-expect-error select's equal compares two results of the selector
  tandem.select((t) => t.tasks.getCount(), { equal: (a: string, b: string) => a === b })
}
