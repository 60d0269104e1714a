/** @module Conformance: atomic transactions, savepoints, isolation of outside reads, gapless syncIds under concurrency. */
import { entry, idempotency, item } from './fixture.ts'
import type { ConformanceContext } from './context.ts'

export function transactionTests(ctx: ConformanceContext): void {
  const { expect } = ctx.t

  ctx.it('returns what the callback returns; reads inside see the transaction’s own writes', async () => {
    const result = await ctx.store.transaction(async (tx) => {
      expect(await tx.headSyncId()).toBe(0)
      await tx.putRow('items', item('a'))
      await tx.appendLog(entry(1))
      expect(await tx.headSyncId()).toBe(1)
      expect((await tx.getRow('items', 'a'))?.row.id).toBe('a')
      return { answer: 42 }
    })
    expect(result).toEqual({ answer: 42 })
    expect(await ctx.store.headSyncId()).toBe(1)
  })

  ctx.it('a throwing transaction leaves nothing behind and the store stays usable', async () => {
    await ctx.store.transaction(async (tx) => tx.putRow('items', item('kept', { count: 1 })))
    const failing = ctx.store.transaction(async (tx) => {
      await tx.putRow('items', item('ghost'))
      await tx.putRow('items', item('kept', { count: 2 }))
      await tx.deleteRow('items', 'kept')
      await tx.appendLog(entry(1))
      await tx.putIdempotency(idempotency('sk_1', 'key', 1))
      await tx.savepoint(async () => tx.putRow('items', item('inner')))
      throw new Error('boom: caller failed')
    })
    await expect(failing).rejects.toThrow('boom: caller failed')
    expect(await ctx.store.getRow('items', 'ghost')).toBeNull()
    expect(await ctx.store.getRow('items', 'inner')).toBeNull()
    expect((await ctx.store.getRow('items', 'kept'))?.row['count']).toBe(1)
    expect(await ctx.store.headSyncId()).toBe(0)
    expect(await ctx.store.readLog(0, 10)).toEqual([])
    await ctx.store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk_1', 'key')).toBeNull()
      await tx.appendLog(entry(1))
    })
    expect(await ctx.store.headSyncId()).toBe(1)
  })

  ctx.it('a failed savepoint undoes only its own rows, log entries and idempotency records', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.putRow('items', item('a', { count: 1 }))
      await tx.putRow('items', item('c', { count: 1 }))
      await tx.appendLog(entry(1))
      await tx.putIdempotency(idempotency('sk_1', 'k1', 1))
      const failed = tx.savepoint(async () => {
        await tx.putRow('items', item('b'))
        await tx.putRow('items', item('a', { count: 99 }))
        await tx.deleteRow('items', 'c')
        await tx.appendLog(entry(2))
        await tx.putIdempotency(idempotency('sk_1', 'k2', 2))
        await tx.putIdempotency(idempotency('sk_1', 'k1', 2))
        expect(await tx.headSyncId()).toBe(2)
        throw new Error('commit rejected')
      })
      await expect(failed).rejects.toThrow('commit rejected')
      expect(await tx.headSyncId()).toBe(1)
      expect(await tx.getRow('items', 'b')).toBeNull()
      expect((await tx.getRow('items', 'a'))?.row['count']).toBe(1)
      expect(await tx.getRow('items', 'c')).not.toBeNull()
      expect(await tx.getIdempotency('sk_1', 'k2')).toBeNull()
      expect(await tx.getIdempotency('sk_1', 'k1')).toEqual(idempotency('sk_1', 'k1', 1))
      // A savepoint that succeeds keeps its work; its value comes back.
      const value = await tx.savepoint(async () => {
        await tx.putRow('items', item('d'))
        await tx.appendLog(entry(2, { txId: 'second' }))
        return 'ok'
      })
      expect(value).toBe('ok')
    })
    expect(await ctx.store.getRow('items', 'b')).toBeNull()
    expect((await ctx.store.getRow('items', 'a'))?.row['count']).toBe(1)
    expect(await ctx.store.getRow('items', 'c')).not.toBeNull()
    expect(await ctx.store.getRow('items', 'd')).not.toBeNull()
    expect(await ctx.store.readLog(0, 10)).toEqual([entry(1), entry(2, { txId: 'second' })])
    await ctx.store.transaction(async (tx) => {
      expect(await tx.getIdempotency('sk_1', 'k2')).toBeNull()
      expect(await tx.getIdempotency('sk_1', 'k1')).toEqual(idempotency('sk_1', 'k1', 1))
    })
  })

  ctx.it('a store error inside a savepoint rolls back that savepoint only; the transaction goes on', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.appendLog(entry(1))
      for (const bad of [entry(1), entry(3)]) {
        await expect(
          tx.savepoint(async () => {
            await tx.putRow('items', item(`x${bad.syncId}`))
            await tx.appendLog(bad)
          }),
        ).rejects.toThrow()
      }
      await tx.appendLog(entry(2))
    })
    expect((await ctx.store.readLog(0, 10)).map((e) => e.syncId)).toEqual([1, 2])
    expect(await ctx.store.getRow('items', 'x1')).toBeNull()
    expect(await ctx.store.getRow('items', 'x3')).toBeNull()
  })

  ctx.it('savepoints nest: an inner failure keeps the outer savepoint’s work', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.savepoint(async () => {
        await tx.putRow('items', item('outer'))
        await expect(
          tx.savepoint(async () => {
            await tx.putRow('items', item('inner'))
            throw new Error('inner fails')
          }),
        ).rejects.toThrow('inner fails')
        await tx.putRow('items', item('after-inner'))
      })
    })
    expect(await ctx.store.getRow('items', 'outer')).not.toBeNull()
    expect(await ctx.store.getRow('items', 'after-inner')).not.toBeNull()
    expect(await ctx.store.getRow('items', 'inner')).toBeNull()
  })

  if (ctx.options.isolatedReads !== false)
    ctx.it('reads outside a transaction see only committed state', async () => {
      await ctx.store.transaction(async (tx) => {
        await tx.putRow('items', item('pending'))
        await tx.appendLog(entry(1))
        expect(await ctx.store.getRow('items', 'pending')).toBeNull()
        expect(await ctx.store.headSyncId()).toBe(0)
        expect(await ctx.store.readLog(0, 10)).toEqual([])
        expect(await ctx.store.listRows('items', { conditions: [], sort: [{ field: 'id', dir: 'asc' }], limit: 10, groups: null })).toEqual([])
        expect((await ctx.store.snapshot(null)).rows['items']).toEqual([])
      })
      expect(await ctx.store.getRow('items', 'pending')).not.toBeNull()
      expect(await ctx.store.headSyncId()).toBe(1)
    })

  ctx.it('60 concurrent transactions get gapless, ordered syncIds', async () => {
    const n = 60
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        ctx.store.transaction(async (tx) => {
          const next = (await tx.headSyncId()) + 1
          await tx.putRow('items', item(`w${i}`, { count: next }, ['g1'], next))
          await tx.appendLog(entry(next, { txId: `writer_${i}` }))
          return next
        }),
      ),
    )
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    const log = await ctx.store.readLog(0, 1000)
    expect(log.map((e) => e.syncId)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    // Each writer's log entry carries the syncId its row was written with.
    for (let i = 0; i < n; i++) {
      const row = await ctx.store.getRow('items', `w${i}`)
      expect(log[row!.row.syncId - 1]!.txId).toBe(`writer_${i}`)
    }
    expect(await ctx.store.headSyncId()).toBe(n)
  })
}
