import { describe, expect, it } from 'vitest'
import { claimRequestSchema } from './claims.ts'
import { claimTimeoutLimits, claimTtlLimits, durationMs, durationRule, durationSchema, formatDuration, sessionTtlLimits } from './duration.ts'

describe('durations', () => {
  it('read a number in the field unit, or a whole number with a unit', () => {
    expect(durationMs(30_000, claimTtlLimits)).toBe(30_000)
    expect(durationMs('500ms', claimTtlLimits)).toBe(500)
    expect(durationMs('90s', claimTtlLimits)).toBe(90_000)
    expect(durationMs('2m', claimTtlLimits)).toBe(120_000)
    expect(durationMs('24h', claimTtlLimits)).toBe(86_400_000)
    expect(durationMs('1d', claimTtlLimits)).toBe(86_400_000)
    expect(durationMs(900, sessionTtlLimits)).toBe(900_000)
    expect(durationMs('7d', sessionTtlLimits)).toBe(7 * 86_400_000)
  })

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['past the cap', 24 * 3_600_000 + 1],
    ['a huge string', '99999999999999999999h'],
    ['past the cap as a string', '999999h'],
    ['a thousand digits', `${'9'.repeat(1000)}ms`],
    ['words', '3 days'],
    ['no unit', '30'],
    ['an unknown unit', '2w'],
    ['a negative string', '-5s'],
    ['zero as a string', '0s'],
    ['an object', { ms: 5 }],
    ['null', null],
    ['a boolean', true],
  ])('refuse %s', (_what, value) => {
    expect(durationMs(value, claimTtlLimits)).toBeNull()
    const parsed = durationSchema(claimTtlLimits).safeParse(value)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe(durationRule(claimTtlLimits))
  })

  it('say the range and the units when they refuse', () => {
    expect(durationRule(claimTtlLimits)).toBe(
      'ttl must be from 1 ms to 24 h: a whole number of milliseconds, or a whole number with a unit (ms, s, m, h, d) such as "90s", "15m" or "2h"',
    )
    expect(durationRule(sessionTtlLimits)).toContain('from 2 s to 7 d: a whole number of seconds')
    expect(durationRule(claimTimeoutLimits)).toContain('timeoutMs must be from 1 ms to 24 h')
    expect(formatDuration(90_000)).toBe('90 s')
    expect(formatDuration(1500)).toBe('1500 ms')
  })

  it('every claim duration goes through it, in both forms', () => {
    expect(claimRequestSchema.parse({ model: 'm', id: 'i', ttl: '2m', timeoutMs: '5s' })).toMatchObject({ ttl: 120_000, timeoutMs: 5000 })
    for (const bad of [{ ttl: '999999h' }, { ttl: 1e20 }, { timeoutMs: '99999999999999999999h' }, { timeoutMs: 0 }]) {
      expect(claimRequestSchema.safeParse({ model: 'm', id: 'i', ...bad }).success).toBe(false)
    }
  })
})
