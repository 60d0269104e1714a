/** @module Conformance: the change log, idempotency records, and reopening a durable store. */
import type { LogEntry } from '@tandem/core'
import { conformanceSchema, entry, idempotency, item, note } from './fixture.ts'
import type { ConformanceContext } from './context.ts'

const varied: LogEntry[] = [
  entry(1),
  entry(2, { txId: null, stale: true, actor: { id: 'agent_7', kind: 'agent', onBehalfOf: null, transport: 'http' }, runId: 'run_7.a:b-c' }),
  entry(3, {
    actor: { id: 'server', kind: 'agent', transport: 'server', onBehalfOf: 'user_ada' },
    changes: [
      {
        model: 'items',
        id: 'i1',
        op: 'update',
        data: { id: 'i1', createdAt: 'c', updatedAt: 'u', syncId: 3, title: 'new' },
        previous: { title: 'old', note: null },
        groups: ['g1', 'g2'],
      },
      { model: 'notes', id: 'n1', op: 'delete', data: null, previous: { body: 'gone' }, groups: [] },
    ],
  }),
  entry(4, { changes: [] }),
  entry(5, { txId: 'ünïcödé "quotes" \\ backslash', runId: 'run_7.a:b-c', runRevert: true }),
]

export function logTests(ctx: ConformanceContext): void {
  const { expect } = ctx.t

  ctx.it('starts empty', async () => {
    expect(await ctx.store.headSyncId()).toBe(0)
    expect(await ctx.store.readLog(0, 100)).toEqual([])
    expect(await ctx.store.snapshot(null)).toEqual({ syncId: 0, rows: { items: [], notes: [] } })
  })

  ctx.it('log entries round-trip; readLog(after, limit) is ordered and paged', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.appendLog(varied[0]!)
      await tx.appendLog(varied[1]!)
    })
    await ctx.store.transaction(async (tx) => {
      for (const e of varied.slice(2)) await tx.appendLog(e)
    })
    expect(await ctx.store.headSyncId()).toBe(5)
    expect(await ctx.store.readLog(0, 100)).toEqual(varied)
    expect((await ctx.store.readLog(2, 2)).map((e) => e.syncId)).toEqual([3, 4])
    expect((await ctx.store.readLog(0, 1)).map((e) => e.syncId)).toEqual([1])
    expect((await ctx.store.readLog(4, 100)).map((e) => e.syncId)).toEqual([5])
    expect(await ctx.store.readLog(5, 100)).toEqual([])
    expect(await ctx.store.readLog(99, 100)).toEqual([])
    expect(await ctx.store.readLog(0, 0)).toEqual([])
    const paged: number[] = []
    for (let after = 0; ;) {
      const page = await ctx.store.readLog(after, 2)
      if (page.length === 0) break
      paged.push(...page.map((e) => e.syncId))
      after = page.at(-1)!.syncId
    }
    expect(paged).toEqual([1, 2, 3, 4, 5])
  })

  ctx.it('appendLog refuses any syncId but head + 1', async () => {
    await expect(ctx.store.transaction(async (tx) => tx.appendLog(entry(2)))).rejects.toThrow()
    await expect(ctx.store.transaction(async (tx) => tx.appendLog(entry(0)))).rejects.toThrow()
    await ctx.store.transaction(async (tx) => tx.appendLog(entry(1)))
    await expect(ctx.store.transaction(async (tx) => tx.appendLog(entry(1, { txId: 'dup' })))).rejects.toThrow()
    await expect(ctx.store.transaction(async (tx) => tx.appendLog(entry(3)))).rejects.toThrow()
    expect(await ctx.store.readLog(0, 10)).toEqual([entry(1)])
  })

  ctx.it('idempotency records round-trip, are scoped by credential, and can be replaced', async () => {
    const first = idempotency('sk_live_1', 'order-42', 1)
    await ctx.store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk_live_1', 'order-42')).toBeNull()
      await tx.putIdempotency(first)
      expect(await tx.getIdempotency('sk_live_1', 'order-42')).toEqual(first)
    })
    await ctx.store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk_live_1', 'order-42')).toEqual(first)
      expect(await tx.getIdempotency('sk_live_2', 'order-42')).toBeNull()
      expect(await tx.getIdempotency('sk_live_1', 'order-43')).toBeNull()
      await tx.putIdempotency(idempotency('sk_live_2', 'order-42', 2))
      await tx.putIdempotency(idempotency('sk_live_1', 'order-42', 3))
    })
    await ctx.store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk_live_1', 'order-42')).toEqual(idempotency('sk_live_1', 'order-42', 3))
      expect(await tx.getIdempotency('sk_live_2', 'order-42')).toEqual(idempotency('sk_live_2', 'order-42', 2))
    })
  })

  const reopen = ctx.options.reopen
  if (reopen) {
    ctx.it('reopening the same database keeps rows, log and idempotency records', async () => {
      const row = item('durable', { meta: { tags: ['kept'], weight: 3 }, list: [9], note: 'n', rank: 2, done: true, status: 'done', score: 0.5 }, ['g1'], 2)
      await ctx.store.transaction(async (tx) => {
        await tx.putRow('items', row)
        await tx.putRow('notes', note('n1', 'body', ['g2']))
        await tx.appendLog(varied[0]!)
        await tx.appendLog(varied[1]!)
        await tx.putIdempotency(idempotency('sk_1', 'k', 2))
      })
      await ctx.store.close()
      const again = await reopen()
      ctx.store = again
      await again.open(conformanceSchema)
      expect(await again.getRow('items', 'durable')).toEqual(row)
      expect(await again.getRow('notes', 'n1')).toEqual(note('n1', 'body', ['g2']))
      expect(await again.readLog(0, 10)).toEqual(varied.slice(0, 2))
      expect(await again.headSyncId()).toBe(2)
      await again.transaction(async (tx) => {
        expect(await tx.getIdempotency('sk_1', 'k')).toEqual(idempotency('sk_1', 'k', 2))
        await tx.appendLog(entry(3))
      })
      expect((await again.snapshot(['g2'])).rows['notes']).toEqual([note('n1', 'body', ['g2']).row])
      expect(await again.headSyncId()).toBe(3)
    })
  }

  ctx.it('compactLog drops old entries but keeps the head; syncIds continue gaplessly', async () => {
    const s = ctx.store
    await s.transaction(async (tx) => {
      for (let i = 1; i <= 6; i++) await tx.appendLog(entry(i))
    })
    expect(await s.logStart()).toBe(0)
    await s.compactLog(4)
    expect(await s.logStart()).toBe(4)
    expect((await s.readLog(0, 100)).map((e) => e.syncId)).toEqual([5, 6])
    expect((await s.readLog(5, 100)).map((e) => e.syncId)).toEqual([6])
    await s.compactLog(100)
    expect(await s.logStart()).toBe(5)
    expect(await s.headSyncId()).toBe(6)
    await s.transaction(async (tx) => tx.appendLog(entry(7)))
    expect((await s.readLog(0, 100)).map((e) => e.syncId)).toEqual([6, 7])
  })

  ctx.it('pruneIdempotency forgets records older than a time, and only those', async () => {
    const s = ctx.store
    await s.transaction(async (tx) => {
      await tx.putIdempotency({ ...idempotency('scope', 'old', 1), createdAt: '2026-01-01T00:00:00.000Z' })
      await tx.putIdempotency({ ...idempotency('scope', 'new', 2), createdAt: '2026-06-01T00:00:00.000Z' })
    })
    expect(await s.pruneIdempotency('2026-03-01T00:00:00.000Z')).toBe(1)
    await s.transaction(async (tx) => {
      expect(await tx.getIdempotency('scope', 'old')).toBeNull()
      expect(await tx.getIdempotency('scope', 'new')).not.toBeNull()
    })
  })
}
