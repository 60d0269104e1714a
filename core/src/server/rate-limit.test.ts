import { expect, it } from 'vitest'
import { RateLimiter } from './rate-limit.ts'
import type { Session } from './identity/session.ts'

const user = (id: string): Session => ({ credentialId: id, actor: { id, kind: 'human' }, groups: ['team:a'], defaultGroup: 'team:a', secret: false })

it('forgets the buckets of credentials that went idle, so each session credential ever seen does not keep one', () => {
  const limiter = new RateLimiter()
  for (let i = 0; i < 1000; i++) limiter.take(user(`usr_${i}`), 0)
  expect(limiter.size).toBe(1000)
  // A minute later every one of them has refilled: the next new credential sweeps them away.
  limiter.take(user('usr_late'), 60_000)
  expect(limiter.size).toBe(1)
})

it('keeps a bucket that has not refilled through a sweep, so the limit still holds', () => {
  const limiter = new RateLimiter({ sessionPerSecond: 1, sessionBurst: 1 })
  limiter.take(user('busy'), 0)
  // 1,000 new credentials half a second later: the map reaches its sweep size while `busy` holds half a token.
  for (let i = 0; i < 1001; i++) limiter.take(user(`usr_${i}`), 500)
  expect(limiter.size).toBe(1002)
  expect(() => limiter.take(user('busy'), 600)).toThrow(expect.objectContaining({ code: 'rate_limited' }))
})

it('judges each bucket by its own rate when sweeping, not by the rate of the caller that triggers the sweep', () => {
  // Sessions refill fast (1000/s) with a tiny burst; connections slowly (1/s, burst 2).
  const limiter = new RateLimiter({ sessionPerSecond: 1000, sessionBurst: 2, connectionPerSecond: 1 })
  for (let i = 0; i < 1000; i++) limiter.takeConnection(`conn_${i}`, user('usr_x'), 0)
  // 10 ms later no connection bucket has refilled at 1/s (it would have at 1000/s): the sweep keeps all of them.
  limiter.take(user('usr_trigger'), 10)
  expect(limiter.size).toBe(1001)
})
