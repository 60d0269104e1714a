/** @module Conformance: small named records (keys, session revocations, webhook endpoints). */
import type { ConformanceContext } from './context.ts'
import { entry } from './fixture.ts'

export function recordTests(ctx: ConformanceContext): void {
  const { expect } = ctx.t

  ctx.it('records: put, get, list by kind, delete', async () => {
    const s = ctx.store
    expect(await s.getRecord('key', 'k1')).toBeNull()
    expect(await s.putRecord('key', 'k1', { hash: 'abc', revokedAt: null, tags: ['a', 'ü'] })).toBe(true)
    expect(await s.putRecord('key', 'k2', { hash: 'def' })).toBe(true)
    expect(await s.putRecord('session', 'k1', { other: true })).toBe(true)
    expect(await s.getRecord('key', 'k1')).toEqual({ hash: 'abc', revokedAt: null, tags: ['a', 'ü'] })
    expect(await s.listRecords('key')).toEqual([
      { id: 'k1', value: { hash: 'abc', revokedAt: null, tags: ['a', 'ü'] } },
      { id: 'k2', value: { hash: 'def' } },
    ])
    expect(await s.putRecord('key', 'k1', { hash: 'abc', revokedAt: '2026-01-01' })).toBe(true)
    expect(await s.getRecord('key', 'k1')).toEqual({ hash: 'abc', revokedAt: '2026-01-01' })
    await s.deleteRecord('key', 'k2')
    expect(await s.listRecords('key')).toHaveLength(1)
    expect(await s.getRecord('session', 'k1')).toEqual({ other: true })
  })

  ctx.it('records: ifAbsent keeps the first value, also under concurrency', async () => {
    const s = ctx.store
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.putRecord('meta', 'secret', { n: i }, { ifAbsent: true })))
    expect(results.filter(Boolean)).toHaveLength(1)
    const winner = results.indexOf(true)
    expect(await s.getRecord('meta', 'secret')).toEqual({ n: winner })
  })

  ctx.it('records: updateRecord is an atomic read-modify-write, also under concurrency', async () => {
    const s = ctx.store
    const results = await Promise.all(Array.from({ length: 25 }, () => s.updateRecord<{ n: number }>('counter', 'c', (cur) => ({ n: (cur?.n ?? 0) + 1 }))))
    expect(results.map((r) => r!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    expect(await s.getRecord('counter', 'c')).toEqual({ n: 25 })
    expect(await s.updateRecord('counter', 'c', () => null)).toBeNull()
    expect(await s.getRecord('counter', 'c')).toBeNull()
  })

  // What the webhooks plugin relies on: an endpoint record whose cursor, lease and settings are changed by different writers.
  ctx.it('records: concurrent updateRecord calls on different fields of one record lose none, also beside commits', async () => {
    const s = ctx.store
    type Endpoint = { cursor: number; lease: { owner: string; expiresAt: number } | null; description: string; enabledEvents: string[] }
    await s.putRecord('webhook_endpoint', 'we_1', { cursor: 0, lease: null, description: '', enabledEvents: ['*'] })
    await s.putRecord('webhook_endpoint', 'we_2', { cursor: 7, lease: null, description: 'other', enabledEvents: ['*'] })
    await s.putRecord('webhook_deliveries', 'we_1', { attempts: [] })
    const bump = () => s.updateRecord<Endpoint>('webhook_endpoint', 'we_1', (e) => (e ? { ...e, cursor: e.cursor + 1 } : e))
    const edit = (i: number) => s.updateRecord<Endpoint>('webhook_endpoint', 'we_1', (e) => (e ? { ...e, description: `${e.description}${i}` } : e))
    const lease = (i: number) =>
      s.updateRecord<Endpoint>('webhook_endpoint', 'we_1', (e) => (e ? { ...e, lease: { owner: `node${i}`, expiresAt: 1_700_000_000_000 + i } } : e))
    const commits = s.transaction(async (tx) => {
      for (let i = 1; i <= 5; i++) await tx.appendLog(entry((await tx.headSyncId()) + 1))
    })
    await Promise.all([commits, ...Array.from({ length: 10 }, (_, i) => [bump(), edit(i % 10), lease(i)]).flat()])
    const after = (await s.getRecord('webhook_endpoint', 'we_1')) as Endpoint
    expect(after.cursor).toBe(10)
    expect([...after.description].sort().join('')).toBe('0123456789')
    expect(/^node\d$/.test(after.lease?.owner ?? '')).toBe(true)
    expect(await s.headSyncId()).toBe(5)
    // A compare-and-set that finds the record changed leaves it as it is; a missing record stays missing.
    expect((await s.updateRecord<Endpoint>('webhook_endpoint', 'we_1', (e) => (e && e.cursor === 3 ? { ...e, cursor: 99 } : e)))?.cursor).toBe(10)
    expect(await s.updateRecord<Endpoint>('webhook_endpoint', 'we_gone', (e) => e)).toBeNull()
    expect(await s.getRecord('webhook_endpoint', 'we_gone')).toBeNull()
    // listRecords is by kind: the endpoint's delivery history is not an endpoint.
    expect((await s.listRecords('webhook_endpoint')).map((r) => r.id).sort()).toEqual(['we_1', 'we_2'])
    expect(await s.listRecords('webhook_deliveries')).toEqual([{ id: 'we_1', value: { attempts: [] } }])
  })
}
