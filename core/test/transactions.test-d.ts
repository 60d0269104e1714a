/**
 * Type tests for `tandem.transaction` (checked by `tsc` in `npm test`): `tx.<model>` takes the verbs' typed
 * arguments without the per-write options, returns rows synchronously, and the result carries the callback's value.
 */
import { expectTypeOf } from 'vitest'
import Tandem, { type Transaction, type TransactionResult } from '@tandem/core'
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
  const result = await t.transaction(
    (tx) => {
      expectTypeOf(tx).toEqualTypeOf<Transaction<typeof schema>>()
      const made = tx.tasks.create({ data: { title: 'x' } })
      expectTypeOf(made).toEqualTypeOf<Task>()
      expectTypeOf(tx.tasks.update({ id: made.id, data: { points: 2 }, readAt: 3, onStale: 'flag' })).toEqualTypeOf<Task>()
      expectTypeOf(tx.tasks.delete({ id: made.id })).toEqualTypeOf<void>()
      expectTypeOf(tx.tasks.get(made.id)).toEqualTypeOf<Task | undefined>()
      tx.weatherReports.create({ data: { location: 'Oslo', status: 'pending' } })
      // @ts-expect-error title is required
      tx.tasks.create({ data: { status: 'todo' } })
      // @ts-expect-error wrong type
      tx.tasks.update({ id: made.id, data: { points: 'two' } })
      // @ts-expect-error wait belongs to the whole transaction, not one write
      tx.tasks.update({ id: made.id, data: {}, wait: 'queued' })
      // @ts-expect-error so does the idempotency key
      tx.tasks.delete({ id: made.id, idempotencyKey: 'k' })
      // @ts-expect-error no such model
      tx.projects.create({ data: {} })
      return made
    },
    { wait: 'confirmed', idempotencyKey: 'k', timeout: 5000, runId: 'run-1' },
  )
  expectTypeOf(result).toEqualTypeOf<TransactionResult<Task>>()
  expectTypeOf(result.value).toEqualTypeOf<Task>()
  expectTypeOf(result.syncId).toEqualTypeOf<number | null>()

  // An async callback's value is awaited.
  expectTypeOf((await t.transaction(async () => 42)).value).toEqualTypeOf<number>()
  // @ts-expect-error not a wait mode
  await t.transaction(() => undefined, { wait: 'later' })
}
