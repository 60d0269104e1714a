import { expect, it } from 'vitest'
import { resolveClaimsConfig } from './claim-service.ts'

it('claims config: documented defaults, and values no claim could live with are refused', () => {
  expect(resolveClaimsConfig()).toEqual({ defaultTtlMs: 30_000, disconnectGraceMs: 5_000, maxQueueDepth: 100, maxWaitingPerSession: 20, nodeTimeoutMs: 15_000 })
  expect(resolveClaimsConfig({ defaultTtlMs: '2m' as never, maxQueueDepth: 5 })).toMatchObject({ defaultTtlMs: 120_000, maxQueueDepth: 5 })
  for (const bad of [{ defaultTtlMs: 0 }, { defaultTtlMs: 25 * 3_600_000 }, { disconnectGraceMs: -1 }, { maxWaitingPerSession: 1.5 }, { nope: 1 } as never]) {
    expect(() => resolveClaimsConfig(bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  }
})
