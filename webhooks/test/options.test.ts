import { webhooks } from '@tandem/webhooks'
import { expect, it } from 'vitest'

it('refuses options that cannot work, at construction', () => {
  expect(() => webhooks({ retrySchedule: [0, -5] })).toThrow(RangeError)
  expect(() => webhooks({ retrySchedule: [Number.NaN] })).toThrow(/delays in ms/)
  expect(() => webhooks({ timeoutMs: 10_000, leaseMs: 10_500 })).toThrow(/at least timeoutMs \+ 1000/)
  expect(webhooks({ timeoutMs: 500, leaseMs: 1500, retrySchedule: [] }).name).toBe('webhooks')
})
