/** @module Conformance: rows (read/write/delete), list queries, keyset pagination, groups, snapshots. */
import type { AnyRow } from '@tandem/core/schema'
import type { GroupFilter, ListQuery, Store } from '@tandem/core/server'
import { entry, item, listRows, note } from './fixture.ts'
import type { ConformanceContext } from './context.ts'

type Cond = ListQuery['conditions'][number]
type Sort = ListQuery['sort'][number]
const byId: Sort[] = [{ field: 'id', dir: 'asc' }]

const ids = (rows: AnyRow[]) => rows.map((r) => r.id)
const sortedIds = (rows: AnyRow[]) => ids(rows).sort()

async function seed(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const r of listRows) await tx.putRow('items', r)
  })
}

function list(store: Store, conditions: Cond[], sort: Sort[] = byId, extra: Partial<ListQuery> = {}): Promise<AnyRow[]> {
  return store.listRows('items', { conditions, sort, limit: 100, groups: null, ...extra })
}

export function rowTests(ctx: ConformanceContext): void {
  const { t } = ctx
  const { expect } = t

  ctx.it('has a kind', async () => {
    expect(typeof ctx.store.kind).toBe('string')
    expect(ctx.store.kind.length).toBeGreaterThan(0)
  })

  ctx.it('round-trips every column type, in and out of the transaction', async () => {
    const full = item(
      'full',
      {
        title: `O'Brien "quoted" ✓ 日本`,
        count: Number.MAX_SAFE_INTEGER,
        score: -12.375,
        done: true,
        status: 'doing',
        meta: { tags: ['x', 'y z'], weight: 1e-7, nested: { ok: false } },
        list: [1, 2.5, -3],
        note: null,
      },
      ['org:acme', 'team:1'],
      7,
    )
    const falsy = item(
      'falsy',
      { title: '', count: -1, score: 0, done: false, status: 'todo', meta: { tags: [], weight: 0 }, list: [], note: '', rank: 0 },
      [],
      8,
    )
    await ctx.store.transaction(async (tx) => {
      await tx.putRow('items', full)
      await tx.putRow('items', falsy)
      expect(await tx.getRow('items', 'full')).toEqual(full)
      expect(await tx.getRow('items', 'falsy')).toEqual(falsy)
    })
    expect(await ctx.store.getRow('items', 'full')).toEqual(full)
    expect(await ctx.store.getRow('items', 'falsy')).toEqual(falsy)
    const [listed] = await list(ctx.store, [{ field: 'id', op: 'eq', value: 'full' }])
    expect(listed).toEqual(full.row)
    // Optional fields that were never set stay absent rather than becoming null.
    expect(Object.hasOwn((await ctx.store.getRow('items', 'full'))!.row, 'rank')).toBe(false)
  })

  ctx.it('putRow replaces the whole row (fields, groups); deleteRow removes it', async () => {
    await ctx.store.transaction(async (tx) => tx.putRow('items', item('a', { meta: { tags: ['t'], weight: 2 }, list: [1], rank: 7, note: 'n' }, ['g1'])))
    const updated = item('a', { title: 'renamed', count: 9, note: null }, ['g2'], 2)
    await ctx.store.transaction(async (tx) => tx.putRow('items', updated))
    expect(await ctx.store.getRow('items', 'a')).toEqual(updated)
    expect(Object.hasOwn((await ctx.store.getRow('items', 'a'))!.row, 'meta')).toBe(false)
    expect(await list(ctx.store, [], byId, { groups: ['g1'] })).toEqual([])
    await ctx.store.transaction(async (tx) => {
      await tx.deleteRow('items', 'a')
      expect(await tx.getRow('items', 'a')).toBeNull()
      await tx.deleteRow('items', 'never-existed')
    })
    expect(await ctx.store.getRow('items', 'a')).toBeNull()
    expect(await list(ctx.store, [])).toEqual([])
  })

  ctx.it('keeps models apart; unknown ids read as null', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.putRow('items', item('same'))
      await tx.putRow('notes', note('same', 'a note'))
    })
    expect((await ctx.store.getRow('notes', 'same'))!.row['body']).toBe('a note')
    expect((await ctx.store.getRow('items', 'same'))!.row['title']).toBe('title same')
    expect(await ctx.store.getRow('notes', 'missing')).toBeNull()
    await ctx.store.transaction(async (tx) => tx.deleteRow('notes', 'same'))
    expect(await ctx.store.getRow('items', 'same')).not.toBeNull()
  })

  ctx.it('list: eq, ne, in with null-safe semantics', async () => {
    await seed(ctx.store)
    const q = async (...conditions: Cond[]) => ids(await list(ctx.store, conditions))
    expect(await q({ field: 'status', op: 'eq', value: 'doing' })).toEqual(['b', 'e'])
    expect(await q({ field: 'note', op: 'eq', value: null })).toEqual(['a', 'd', 'g'])
    expect(await q({ field: 'done', op: 'eq', value: true })).toEqual(['b', 'd'])
    expect(await q({ field: 'done', op: 'eq', value: false })).toEqual(['a', 'c', 'e', 'f', 'g'])
    expect(await q({ field: 'id', op: 'eq', value: 'c' })).toEqual(['c'])
    expect(await q({ field: 'status', op: 'ne', value: 'todo' })).toEqual(['b', 'c', 'e', 'g'])
    expect(await q({ field: 'note', op: 'ne', value: null })).toEqual(['b', 'c', 'e', 'f'])
    expect(await q({ field: 'note', op: 'ne', value: 'x' })).toEqual(['a', 'c', 'd', 'f', 'g'])
    expect(await q({ field: 'status', op: 'in', value: ['todo', 'done'] })).toEqual(['a', 'c', 'd', 'f', 'g'])
    expect(await q({ field: 'note', op: 'in', value: ['x', null] })).toEqual(['a', 'b', 'd', 'e', 'g'])
    expect(await q({ field: 'count', op: 'in', value: [3, 5] })).toEqual(['a', 'd', 'e'])
    expect(await q({ field: 'status', op: 'in', value: [] })).toEqual([])
  })

  ctx.it('list: gt/gte/lt/lte on numbers and strings (code-unit order), nulls never match', async () => {
    await seed(ctx.store)
    const q = async (...conditions: Cond[]) => ids(await list(ctx.store, conditions))
    expect(await q({ field: 'count', op: 'gt', value: 2 })).toEqual(['a', 'd', 'e', 'g'])
    expect(await q({ field: 'count', op: 'gte', value: 4 })).toEqual(['e', 'g'])
    expect(await q({ field: 'count', op: 'lt', value: 2 })).toEqual(['b', 'f'])
    expect(await q({ field: 'count', op: 'lte', value: 1 })).toEqual(['b', 'f'])
    expect(await q({ field: 'count', op: 'gte', value: 1 }, { field: 'count', op: 'lte', value: 3 })).toEqual(['a', 'b', 'c', 'd'])
    expect(await q({ field: 'score', op: 'gt', value: 0 })).toEqual(['a', 'f', 'g'])
    expect(await q({ field: 'score', op: 'lt', value: 1 })).toEqual(['c', 'd'])
    expect(await q({ field: 'score', op: 'lte', value: 1.5 }, { field: 'status', op: 'eq', value: 'todo' })).toEqual(['a', 'd'])
    expect(await q({ field: 'title', op: 'gte', value: 'c' })).toEqual(['c', 'd', 'e', 'f'])
    expect(await q({ field: 'title', op: 'lt', value: 'a' })).toEqual(['b', 'g'])
  })

  ctx.it('list: orderBy asc/desc with nulls first ascending and last descending, and limit', async () => {
    await seed(ctx.store)
    const o = async (sort: Sort[], limit = 100) => ids(await list(ctx.store, [], sort, { limit }))
    expect(
      await o([
        { field: 'score', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ]),
    ).toEqual(['b', 'e', 'c', 'd', 'a', 'g', 'f'])
    expect(
      await o([
        { field: 'score', dir: 'desc' },
        { field: 'id', dir: 'desc' },
      ]),
    ).toEqual(['f', 'g', 'a', 'd', 'c', 'e', 'b'])
    expect(
      await o([
        { field: 'title', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ]),
    ).toEqual(['b', 'g', 'a', 'c', 'd', 'e', 'f'])
    expect(
      await o([
        { field: 'count', dir: 'desc' },
        { field: 'id', dir: 'asc' },
      ]),
    ).toEqual(['e', 'g', 'a', 'd', 'c', 'b', 'f'])
    expect(
      await o([
        { field: 'note', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ]),
    ).toEqual(['a', 'd', 'g', 'b', 'e', 'c', 'f'])
    expect(
      await o([
        { field: 'done', dir: 'asc' },
        { field: 'score', dir: 'desc' },
        { field: 'id', dir: 'asc' },
      ]),
    ).toEqual(['f', 'a', 'g', 'c', 'e', 'd', 'b'])
    expect(await o([{ field: 'id', dir: 'desc' }])).toEqual(['g', 'f', 'e', 'd', 'c', 'b', 'a'])
    expect(
      await o(
        [
          { field: 'score', dir: 'asc' },
          { field: 'id', dir: 'asc' },
        ],
        3,
      ),
    ).toEqual(['b', 'e', 'c'])
  })

  ctx.it('list: keyset pagination with `after` visits every row once, in order', async () => {
    await seed(ctx.store)
    const sorts: Sort[][] = [
      byId,
      [
        { field: 'score', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ],
      [
        { field: 'score', dir: 'desc' },
        { field: 'id', dir: 'desc' },
      ],
      [
        { field: 'note', dir: 'desc' },
        { field: 'id', dir: 'asc' },
      ],
      [
        { field: 'count', dir: 'desc' },
        { field: 'id', dir: 'asc' },
      ],
      [
        { field: 'title', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ],
      [
        { field: 'done', dir: 'asc' },
        { field: 'score', dir: 'desc' },
        { field: 'id', dir: 'asc' },
      ],
    ]
    for (const sort of sorts) {
      const all = ids(await list(ctx.store, [], sort))
      expect(all).toHaveLength(listRows.length)
      for (const size of [1, 2, 3]) {
        const seen: string[] = []
        let after: AnyRow | undefined
        for (let page = 0; page < 10; page++) {
          const rows = await list(ctx.store, [], sort, { limit: size, ...(after ? { after } : {}) })
          seen.push(...ids(rows))
          if (rows.length < size) break
          after = rows.at(-1)
        }
        expect({ sort, size, seen }).toEqual({ sort, size, seen: all })
      }
    }
    const afterC = await list(ctx.store, [{ field: 'status', op: 'ne', value: 'done' }], byId, { after: listRows[2]!.row })
    expect(ids(afterC)).toEqual(['d', 'e', 'f'])
  })

  ctx.it('list and snapshot filter by sync groups', async () => {
    await seed(ctx.store)
    const g = async (groups: GroupFilter, ...conditions: Cond[]) => ids(await list(ctx.store, conditions, byId, { groups }))
    expect(await g(['g1'])).toEqual(['a', 'c', 'e'])
    expect(await g(['g2'])).toEqual(['b', 'c', 'f'])
    expect(await g(['g1', 'g3'])).toEqual(['a', 'c', 'd', 'e'])
    expect(await g(['nobody'])).toEqual([])
    expect(await g([])).toEqual([])
    expect(await g(null)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(await g(['g2'], { field: 'status', op: 'eq', value: 'doing' })).toEqual(['b'])
    expect(await ctx.store.listRows('notes', { conditions: [], sort: byId, limit: 10, groups: null })).toEqual([])

    await ctx.store.transaction(async (tx) => {
      await tx.putRow('notes', note('n1', 'one', ['g1']))
      await tx.putRow('notes', note('n2', 'two', ['g3']))
      await tx.appendLog(entry(1))
    })
    const snap = await ctx.store.snapshot(['g1'])
    expect(snap.syncId).toBe(1)
    expect(Object.keys(snap.rows).sort()).toEqual(['items', 'notes'])
    expect(sortedIds(snap.rows['items']!)).toEqual(['a', 'c', 'e'])
    expect(snap.rows['notes']).toEqual([note('n1', 'one').row])
    expect(snap.rows['items']!.find((r) => r.id === 'a')).toEqual(listRows[0]!.row)
    const everything = await ctx.store.snapshot(null)
    expect(sortedIds(everything.rows['items']!)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(sortedIds(everything.rows['notes']!)).toEqual(['n1', 'n2'])
    const none = await ctx.store.snapshot([])
    expect(none).toEqual({ syncId: 1, rows: { items: [], notes: [] } })
  })

  if (ctx.options.isolatedReads !== false)
    ctx.it('snapshot rows and syncId are consistent while commits run', async () => {
      // Each commit adds one note and one log entry, so a consistent snapshot has exactly syncId notes.
      const writers = Array.from({ length: 25 }, () =>
        ctx.store.transaction(async (tx) => {
          const next = (await tx.headSyncId()) + 1
          await tx.putRow('notes', note(`n${String(next).padStart(3, '0')}`, `#${next}`, ['g1'], next))
          await tx.appendLog(entry(next))
        }),
      )
      let finished = false
      const all = Promise.all(writers).finally(() => (finished = true))
      const snapshots = []
      while (!finished) snapshots.push(await ctx.store.snapshot(['g1']))
      await all
      snapshots.push(await ctx.store.snapshot(['g1']))
      for (const s of snapshots) {
        const expected = Array.from({ length: s.syncId }, (_, i) => `n${String(i + 1).padStart(3, '0')}`)
        expect({ syncId: s.syncId, notes: sortedIds(s.rows['notes']!) }).toEqual({ syncId: s.syncId, notes: expected })
      }
      expect(snapshots.at(-1)!.syncId).toBe(25)
    })
}
