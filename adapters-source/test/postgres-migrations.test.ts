/** @module postgresStore.open(): typed tables, additive migrations on populated tables, refused destructive changes. */
import { defineSchema, model, type Schema, z } from '@tandem/core/schema'
import type { StoredRow } from '@tandem/core/server'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const t0 = '2024-05-01T12:00:00.000Z'
const task = (id: string, fields: Record<string, unknown>): StoredRow => ({ row: { id, createdAt: t0, updatedAt: t0, syncId: 1, ...fields }, groups: ['g1'] })

describe.skipIf(!withPostgres)('postgresStore migrations', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach }, { resetEach: true })

  /** Open a store on `schema`, run `fn`, always close it. */
  async function withStore<T>(schema: Schema, fn: (store: ReturnType<typeof postgresStore>) => Promise<T>): Promise<T> {
    const store = postgresStore({ url: database().url, max: 2 })
    try {
      await store.open(schema)
      return await fn(store)
    } finally {
      await store.close()
    }
  }
  const openOnly = (schema: Schema) => withStore(schema, async () => undefined)
  const columns = async (table: string) =>
    Object.fromEntries(
      (await database().exec(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1`, [table])).map((c) => [
        c['column_name'],
        `${c['data_type']}${c['is_nullable'] === 'NO' ? ' not null' : ''}`,
      ]),
    )

  const v1 = defineSchema({ tasks: model({ title: z.string(), size: z.string().optional() }) })
  const seedV1 = () =>
    withStore(v1, (s) =>
      s.transaction(async (tx) => {
        await tx.putRow('tasks', task('t1', { title: 'first', size: 'L' }))
        await tx.putRow('tasks', task('t2', { title: 'second' }))
      }),
    )

  it('creates one table per model with typed columns', async () => {
    const schema = defineSchema({
      tasks: model({
        title: z.string(),
        n: z.number().int(),
        r: z.number(),
        ok: z.boolean(),
        s: z.enum(['a', 'b']),
        j: z.object({ x: z.number() }),
        maybe: z.string().nullable(),
      }),
    })
    await openOnly(schema)
    expect(await columns('tasks')).toEqual({
      id: 'text not null',
      createdAt: 'text not null',
      updatedAt: 'text not null',
      syncId: 'bigint not null',
      _groups: 'jsonb not null',
      title: 'text not null',
      n: 'bigint not null',
      r: 'double precision not null',
      ok: 'boolean not null',
      s: 'text not null',
      j: 'jsonb not null',
      maybe: 'text',
    })
    expect(await columns('_tandem_log')).toMatchObject({
      syncId: 'bigint not null',
      actor: 'jsonb not null',
      stale: 'boolean not null',
      changes: 'jsonb not null',
      runId: 'text',
      runRevert: 'boolean',
    })
  })

  it('adds fields with defaults to a populated table without losing data', async () => {
    await seedV1()
    const v2 = defineSchema({
      tasks: model({
        title: z.string(),
        size: z.string().optional(),
        status: z.enum(['todo', 'done']).default('todo'),
        points: z.number().int().default(3),
        tags: z.array(z.string()).default(['new']),
        done: z.boolean().default(false),
        note: z.string().optional(),
      }),
    })
    await withStore(v2, async (s) => {
      expect((await s.getRow('tasks', 't1'))!.row).toEqual({
        id: 't1',
        createdAt: t0,
        updatedAt: t0,
        syncId: 1,
        title: 'first',
        size: 'L',
        status: 'todo',
        points: 3,
        tags: ['new'],
        done: false,
      })
      expect((await s.getRow('tasks', 't2'))!.row).toEqual({
        id: 't2',
        createdAt: t0,
        updatedAt: t0,
        syncId: 1,
        title: 'second',
        status: 'todo',
        points: 3,
        tags: ['new'],
        done: false,
      })
      await s.transaction((tx) => tx.putRow('tasks', task('t3', { title: 'third', status: 'done', points: 7, tags: [], done: true, note: 'n' })))
      expect((await s.getRow('tasks', 't3'))!.row['status']).toBe('done')
    })
    expect((await columns('tasks'))['points']).toBe('bigint not null')
    // Opening again with the same schema changes nothing.
    await withStore(v2, async (s) => expect((await s.getRow('tasks', 't3'))!.row['points']).toBe(7))
  })

  it('refuses a type change (string → number), naming model and field, and changes nothing', async () => {
    await seedV1()
    const changed = defineSchema({ tasks: model({ title: z.string(), size: z.number().optional(), extra: z.string().default('x') }) })
    await expect(openOnly(changed)).rejects.toThrow(/"tasks\.size".*text.*double precision/)
    expect(await columns('tasks')).not.toHaveProperty('extra')
    await withStore(v1, async (s) => expect((await s.getRow('tasks', 't1'))!.row['size']).toBe('L'))
  })

  it('refuses a required field without a default on a populated table, allows it on an empty one', async () => {
    const v2 = defineSchema({ tasks: model({ title: z.string(), size: z.string().optional(), owner: z.string() }) })
    await openOnly(v1)
    await openOnly(v2)
    await database().reset()
    await seedV1()
    await expect(openOnly(v2)).rejects.toThrow(/"tasks\.owner"/)
  })

  it('refuses making a field required while rows lack it; allows it when every row has a value', async () => {
    await seedV1()
    const required = defineSchema({ tasks: model({ title: z.string(), size: z.string() }) })
    await expect(openOnly(required)).rejects.toThrow(/"tasks\.size".*1 existing row/)
    await withStore(v1, (s) => s.transaction((tx) => tx.putRow('tasks', task('t2', { title: 'second', size: 'S' }))))
    await openOnly(required)
    expect((await columns('tasks'))['size']).toBe('text not null')
  })

  it('widens enums freely; narrows them only when no row holds a removed value', async () => {
    const abc = defineSchema({ tasks: model({ title: z.string(), state: z.enum(['a', 'b', 'c']) }) })
    const ab = defineSchema({ tasks: model({ title: z.string(), state: z.enum(['a', 'b']) }) })
    const abcd = defineSchema({ tasks: model({ title: z.string(), state: z.enum(['a', 'b', 'c', 'd']) }) })
    await withStore(abc, (s) => s.transaction((tx) => tx.putRow('tasks', task('t1', { title: 'x', state: 'c' }))))
    await expect(openOnly(ab)).rejects.toThrow(/enum "tasks\.state"/)
    await withStore(abcd, (s) => s.transaction((tx) => tx.putRow('tasks', task('t2', { title: 'y', state: 'd' }))))
    await withStore(abcd, (s) => s.transaction((tx) => tx.deleteRow('tasks', 't1').then(() => tx.deleteRow('tasks', 't2'))))
    await withStore(ab, async (s) => {
      await expect(s.transaction((tx) => tx.putRow('tasks', task('t3', { title: 'z', state: 'c' })))).rejects.toThrow()
      await s.transaction((tx) => tx.putRow('tasks', task('t3', { title: 'z', state: 'b' })))
    })
  })

  it('keeps the data of a field removed from the schema and still accepts new rows', async () => {
    const withLegacy = defineSchema({ tasks: model({ title: z.string(), legacy: z.string() }) })
    await withStore(withLegacy, (s) => s.transaction((tx) => tx.putRow('tasks', task('t1', { title: 'old', legacy: 'keep me' }))))
    await withStore(v1, async (s) => {
      await s.transaction((tx) => tx.putRow('tasks', task('t2', { title: 'new' })))
      expect((await s.getRow('tasks', 't1'))!.row).toEqual({ id: 't1', createdAt: t0, updatedAt: t0, syncId: 1, title: 'old' })
    })
    expect(await database().exec(`SELECT "legacy" FROM "tasks" ORDER BY "id"`)).toEqual([{ legacy: 'keep me' }, { legacy: null }])
  })

  it('a running node keeps working while another node adds a column (rolling deploy)', async () => {
    await seedV1()
    const v2 = defineSchema({ tasks: model({ title: z.string(), size: z.string().optional(), points: z.number().int().default(2) }) })
    await withStore(v1, async (old) => {
      await old.transaction(async (tx) => expect((await tx.getRow('tasks', 't1'))!.row['title']).toBe('first'))
      expect((await old.getRow('tasks', 't1'))!.row['title']).toBe('first')
      await openOnly(v2)
      await old.transaction(async (tx) => {
        expect((await tx.getRow('tasks', 't1'))!.row['title']).toBe('first')
        await tx.putRow('tasks', task('t3', { title: 'from the old node' }))
      })
      expect((await old.getRow('tasks', 't2'))!.row['title']).toBe('second')
    })
    await withStore(v2, async (s) => expect((await s.getRow('tasks', 't3'))!.row).toMatchObject({ title: 'from the old node', points: 2 }))
  })

  it('several nodes opening one fresh database at once all succeed', async () => {
    const stores = Array.from({ length: 4 }, () => postgresStore({ url: database().url, max: 2 }))
    try {
      await Promise.all(stores.map((s) => s.open(v1)))
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
    expect(Object.keys(await columns('tasks')).sort()).toEqual(['_groups', 'createdAt', 'id', 'size', 'syncId', 'title', 'updatedAt'])
  })
})
