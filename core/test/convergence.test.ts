import { describe, expect, it } from 'vitest'
import { TandemConflictError } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { setup } from './helpers.ts'

describe('convergence and rollback', () => {
  it('500 concurrent commits from 5 clients: syncIds exactly 1..500, every client converges', async () => {
    const { client, http } = await setup()
    const clients = Array.from({ length: 5 }, () => client())
    await Promise.all(clients.map((c) => c.ready()))
    const writes = clients.flatMap((c, ci) =>
      Array.from({ length: 100 }, (_, i) => c.tasks.create({ id: `c${ci}-${i}`, data: { title: `from ${ci}`, points: i } })),
    )
    const rows = await Promise.all(writes)
    expect(rows.map((r) => r.syncId).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))

    const log: number[] = []
    for (let after = 0; ;) {
      const page = await http('GET', `/v1/changes?after=${after}&limit=1000`)
      log.push(...page.body.data.map((e: { syncId: number }) => e.syncId))
      after = page.body.cursor
      if (!page.body.hasMore) break
    }
    expect(log).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))

    await Promise.all(clients.map((c) => until(c, (t) => t.cursor() === 500 && t.pendingCount() === 0)))
    const snapshots = clients.map((c) => c.snapshot())
    for (const s of snapshots) expect(s).toEqual(snapshots[0])
    expect(snapshots[0]!.tasks).toHaveLength(500)
  })

  it('interleaved updates of one row converge to the last committed value everywhere', async () => {
    const { client } = await setup()
    const [a, b, c] = [client(), client(), client()]
    await Promise.all([a.ready(), b.ready(), c.ready()])
    await a.tasks.create({ id: 'hot', data: { title: 'start', points: 0 } })
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => [a, b, c][i % 3]!.tasks.update({ id: 'hot', data: { points: i + 1 } })))
    const last = results.reduce((x, y) => (y.syncId > x.syncId ? y : x))
    for (const t of [a, b, c]) {
      await until(t, (x) => x.tasks.get('hot')?.syncId === last.syncId && x.pendingCount() === 0)
      expect(t.tasks.get('hot')?.points).toBe(last.points)
    }
  })

  it('a write the server rejects is rolled back, and local readers see the rollback', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 'taken', data: { title: 'first' } })
    await until(b, (t) => t.tasks.get('taken'))

    // b updates optimistically, but the row is gone on the server by then.
    await a.tasks.delete({ id: 'taken' })
    const seen: Array<string | undefined> = []
    const off = b.subscribe(
      (t) =>
        t.tasks
          .getAll()
          .map((r) => r.title)
          .join(','),
      (v) => seen.push(v),
    )
    const dup = b.tasks.create({ id: 'taken2', data: { title: 'mine' } })
    await dup
    const clash = b.tasks.create({ id: 'taken2', data: { title: 'clash' } })
    await expect(clash).rejects.toBeInstanceOf(TandemConflictError)
    await expect(clash).rejects.toMatchObject({ code: 'already_exists', status: 409 })
    off()
    expect(b.tasks.get('taken2')?.title).toBe('mine')
    expect(seen).toContain('mine')
    expect(seen.at(-1)).not.toContain('clash')
  })

  it('an optimistic update of a missing row rolls back to the confirmed state', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 'r1', data: { title: 'keep', points: 1 } })
    await until(b, (t) => t.tasks.get('r1'))
    const values: Array<number | undefined> = []
    const off = b.subscribe(
      (t) => t.tasks.get('r1')?.points,
      (v) => values.push(v),
    )
    const bad = b.tasks.update({ id: 'r1', data: { points: 2 }, readAt: 0 })
    expect(b.tasks.get('r1')?.points).toBe(2) // optimistic
    await expect(bad).rejects.toMatchObject({ type: 'TandemStaleContextError', code: 'stale_context' })
    expect(b.tasks.get('r1')?.points).toBe(1) // rolled back
    off()
    expect(values).toEqual([2, 1])
  })
})
