/** @module Conformance: small named records (keys, session revocations, webhook endpoints). */
import type { ConformanceContext } from './context.ts'

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
}
