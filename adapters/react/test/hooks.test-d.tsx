/**
 * Type tests for the hooks (checked by `tsc -p adapters/react` in `npm test`): with the schema registered
 * (test/fixtures.ts), the hooks are typed without generics at the call.
 */
import { expectTypeOf } from 'vitest'
import type { ClaimHandle, ClaimState, OwnClaim, PresenceEntry, Status, TandemClient } from '@tandem/core'
import { TandemProvider, useClaim, useIntent, usePresence, usePresenceList, useReady, useStatus, useTandem } from '@tandem/react'
import Tandem from '@tandem/core'
import { schema } from './fixtures.ts'
import { defineSchema, model, z } from '@tandem/core/schema'

const otherSchema = defineSchema({ notes: model({ body: z.string() }) })

type Task = NonNullable<ReturnType<TandemClient<typeof schema>['tasks']['get']>>

export function TaskTitle({ id }: { id: string }) {
  const title = useTandem((t) => t.tasks.get(id)?.title, { deps: [id] })
  expectTypeOf(title).toEqualTypeOf<string | undefined>()
  // @ts-expect-error a string is not a number
  const n: number = title
  return <p>{title ?? n}</p>
}

export function Everything() {
  const tandem = useTandem()
  expectTypeOf(tandem).toEqualTypeOf<TandemClient<typeof schema>>()
  // @ts-expect-error not a model of the registered schema
  void tandem.projects

  // A selector's return type flows into the component.
  expectTypeOf(useTandem((t) => t.tasks.getAll({ where: { status: 'todo' } }))).toEqualTypeOf<Task[]>()
  expectTypeOf(useTandem((t) => t.tasks.getCount(), { equal: (a, b) => a === b })).toEqualTypeOf<number>()
  // @ts-expect-error not a field of tasks
  useTandem((t) => t.tasks.get('x')?.colour)
  // @ts-expect-error where on a field tasks do not have
  useTandem((t) => t.tasks.getAll({ where: { colour: 'red' } }))
  // @ts-expect-error equal compares two results of the selector
  useTandem((t) => t.tasks.getCount(), { equal: (a: string, b: string) => a === b })

  const claim = useClaim({ model: 'tasks', id: 'x', field: 'title' })
  expectTypeOf(claim.holder).toEqualTypeOf<ClaimState | null>()
  expectTypeOf(claim.mine).toEqualTypeOf<OwnClaim | null>()
  expectTypeOf(claim.claim({ action: 'editing' })).toEqualTypeOf<Promise<ClaimHandle<Task>>>()
  useClaim({ model: 'weatherReports', id: 'x', field: 'forecast' })
  // @ts-expect-error not a field of tasks
  useClaim({ model: 'tasks', id: 'x', field: 'colour' })
  // @ts-expect-error forecast belongs to weatherReports
  useClaim({ model: 'tasks', id: 'x', field: 'forecast' })
  // @ts-expect-error not a model
  useClaim({ model: 'projects', id: 'x' })

  expectTypeOf(useStatus()).toEqualTypeOf<Status>()
  expectTypeOf(useReady()).toEqualTypeOf<void>()

  expectTypeOf(usePresence()).toEqualTypeOf<readonly PresenceEntry[]>()
  expectTypeOf(usePresence({ model: 'tasks', id: 'x' })).toEqualTypeOf<readonly PresenceEntry[]>()
  expectTypeOf(usePresenceList()).toEqualTypeOf<readonly PresenceEntry[]>()
  // @ts-expect-error not a model
  usePresence({ model: 'projects', id: 'x' })
  expectTypeOf(useIntent({ model: 'tasks', id: 'x', field: 'title', action: 'editing' })).toEqualTypeOf<void>()
  useIntent(null)
  // @ts-expect-error not a model
  useIntent({ model: 'projects', id: 'x' })
  // @ts-expect-error an intent names its row
  useIntent({ model: 'tasks' })
  return null
}

export function Providers() {
  const client = Tandem({ schema, baseURL: 'http://127.0.0.1:7878', apiKey: 'sk_x' })
  const getToken = async () => 'token'
  return (
    <>
      <TandemProvider client={client}>
        <Everything />
      </TandemProvider>
      <TandemProvider schema={schema} baseURL="http://127.0.0.1:7878" getToken={getToken} suspense fallback={<p>…</p>}>
        <TaskTitle id="x" />
      </TandemProvider>
      {/* @ts-expect-error the options need the schema */}
      <TandemProvider baseURL="http://127.0.0.1:7878" getToken={getToken} />
      {/* @ts-expect-error a client of another schema than the registered one */}
      <TandemProvider client={Tandem({ schema: otherSchema, baseURL: 'http://127.0.0.1:7878', apiKey: 'sk_x' })} />
      {/* @ts-expect-error a client or options, not both */}
      <TandemProvider client={client} schema={schema} />
    </>
  )
}
