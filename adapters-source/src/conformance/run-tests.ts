/** @module Conformance: the log read by run (`readRunLog`), which `GET /v1/runs/:runId` and the run revert rely on. */
import { entry } from './fixture.ts'
import type { ConformanceContext } from './context.ts'

export function runTests(ctx: ConformanceContext): void {
  const { expect } = ctx.t
  const runOf = (syncId: number) => (syncId % 3 === 0 ? 'run_a' : syncId % 3 === 1 ? 'run_b' : undefined)
  const fill = async (n: number) => {
    await ctx.store.transaction(async (tx) => {
      for (let i = 1; i <= n; i++) {
        const runId = runOf(i)
        await tx.appendLog(entry(i, runId ? { runId, ...(i === n ? { runRevert: true as const } : {}) } : {}))
      }
    })
  }
  const ids = (entries: Array<{ syncId: number }>) => entries.map((e) => e.syncId)

  ctx.it('readRunLog(runId, after, limit) reads one run in log order, paged, with its entries whole', async () => {
    await fill(12)
    expect(ids(await ctx.store.readRunLog('run_a', 0, 100))).toEqual([3, 6, 9, 12])
    expect(ids(await ctx.store.readRunLog('run_b', 0, 100))).toEqual([1, 4, 7, 10])
    expect(await ctx.store.readRunLog('run_none', 0, 100)).toEqual([])
    expect(ids(await ctx.store.readRunLog('run_a', 3, 2))).toEqual([6, 9])
    expect(ids(await ctx.store.readRunLog('run_a', 12, 10))).toEqual([])
    expect(await ctx.store.readRunLog('run_a', 0, 0)).toEqual([])
    const all = await ctx.store.readLog(0, 100)
    expect(await ctx.store.readRunLog('run_a', 0, 100)).toEqual(all.filter((e) => e.runId === 'run_a'))
    expect(all.find((e) => e.syncId === 12)).toEqual(entry(12, { runId: 'run_a', runRevert: true }))
    expect(all.find((e) => e.syncId === 2)).toEqual(entry(2))
  })

  ctx.it('a rolled-back savepoint leaves nothing in the run index; compacted entries leave it too', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.appendLog(entry(1, { runId: 'run_a' }))
      const rolledBack = tx.savepoint(async () => {
        await tx.appendLog(entry(2, { runId: 'run_gone' }))
        throw new Error('roll back')
      })
      await expect(rolledBack).rejects.toThrow('roll back')
      await tx.appendLog(entry(2, { runId: 'run_a' }))
    })
    expect(await ctx.store.readRunLog('run_gone', 0, 10)).toEqual([])
    expect(ids(await ctx.store.readRunLog('run_a', 0, 10))).toEqual([1, 2])
    await ctx.store.transaction(async (tx) => {
      for (let i = 3; i <= 8; i++) await tx.appendLog(entry(i, { runId: 'run_c' }))
    })
    await ctx.store.compactLog(5)
    expect(await ctx.store.readRunLog('run_a', 0, 10)).toEqual([])
    expect(ids(await ctx.store.readRunLog('run_c', 0, 100))).toEqual([6, 7, 8])
  })
}
