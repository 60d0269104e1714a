import { webhooks } from '@tandem/webhooks'
import { expect, it } from 'vitest'

it('refuses options that cannot work, at construction', () => {
  expect(() => webhooks({ retrySchedule: [0, -5] })).toThrow(RangeError)
  expect(() => webhooks({ retrySchedule: [Number.NaN] })).toThrow(/delays in ms/)
  expect(() => webhooks({ leaseMs: 200 })).toThrow(/at least 300/)
  // Shorter than one attempt is fine: the lease is renewed while the attempt runs.
  expect(webhooks({ timeoutMs: 10_000, leaseMs: 1500, retrySchedule: [] }).name).toBe('webhooks')
})
