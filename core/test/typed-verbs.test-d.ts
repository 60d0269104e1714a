/**
 * Type tests for the typed verbs (checked by `tsc` in `npm test`): what must
 * compile does, and what must not is marked `@ts-expect-error`.
 */
import { expectTypeOf } from 'vitest'
import Tandem, { type ClaimHandle, type ClaimState, type RowList } from '@tandem/core'
import { schema } from './fixtures.ts'

declare const t: ReturnType<typeof Tandem<typeof schema>>

type Task = {
  title: string
  status: 'todo' | 'doing' | 'done'
  assignee?: string | null | undefined
  points?: number | undefined
  id: string
  createdAt: string
  updatedAt: string
  syncId: number
}

export async function typed() {
  // create: defaults are optional in the input; the row has system fields and defaults filled in.
  const row = await t.tasks.create({ data: { title: 'x' } })
  expectTypeOf(row).toEqualTypeOf<Task>()
  expectTypeOf(row.status).toEqualTypeOf<'todo' | 'doing' | 'done'>()
  // @ts-expect-error title is required
  await t.tasks.create({ data: { status: 'todo' } })
  // @ts-expect-error not a valid status
  await t.tasks.create({ data: { title: 'x', status: 'later' } })
  // @ts-expect-error unknown field
  await t.tasks.create({ data: { title: 'x', colour: 'red' } })

  // update: any subset; stale guard options.
  await t.tasks.update({ id: row.id, data: { points: 3 }, readAt: row.syncId, onStale: 'flag' })
  // @ts-expect-error wrong type
  await t.tasks.update({ id: row.id, data: { points: 'three' } })
  // @ts-expect-error not an onStale policy
  await t.tasks.update({ id: row.id, data: {}, onStale: 'merge' })

  // reads
  expectTypeOf(t.tasks.get('x')).toEqualTypeOf<Task | undefined>()
  expectTypeOf(await t.tasks.retrieve({ id: 'x' })).toEqualTypeOf<Task | null>()
  expectTypeOf(await t.tasks.list({ where: { status: ['todo', 'doing'] }, orderBy: { points: 'desc' } })).toEqualTypeOf<RowList<Task>>()
  expectTypeOf(t.tasks.getAll({ where: { points: { gte: 2 } } })).toEqualTypeOf<Task[]>()
  // @ts-expect-error where on an unknown field
  t.tasks.getAll({ where: { colour: 'red' } })
  // @ts-expect-error where value of the wrong type
  t.tasks.getAll({ where: { status: 'later' } })
  expectTypeOf(t.weatherReports.getCount()).toEqualTypeOf<number>()
  // @ts-expect-error unknown model
  t.nope

  // claims
  const claim = await t.tasks.claim({ id: row.id, field: 'title', action: 'renaming', ttl: '2m' })
  expectTypeOf(claim).toEqualTypeOf<ClaimHandle<Task>>()
  expectTypeOf(claim.data).toEqualTypeOf<Task>()
  // @ts-expect-error not a field of tasks
  await t.tasks.claim({ id: row.id, field: 'colour' })
  expectTypeOf(t.tasks.claim.state({ id: row.id })).toEqualTypeOf<ClaimState | null>()
  expectTypeOf(t.tasks.claim.queue({ id: row.id })).toEqualTypeOf<ClaimState[]>()

  // subscribe: the selector gets the typed client
  const off = t.subscribe(
    (c) => c.tasks.get('x')?.title,
    (title, previous) => {
      expectTypeOf(title).toEqualTypeOf<string | undefined>()
      expectTypeOf(previous).toEqualTypeOf<string | undefined>()
    },
  )
  expectTypeOf(off).toEqualTypeOf<() => void>()
}
