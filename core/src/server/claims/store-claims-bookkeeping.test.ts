import { expect, it, vi } from 'vitest'
import type { Store } from '../store.ts'
import { memoryStore } from '../stores/memory-store.ts'
import type { AcquireInput } from './claim-coordinator.ts'
import { storeClaimCoordinator, storeClaimsBookkeeping } from './store-claims.ts'

const input = (owner: string, id: string, over: Partial<AcquireInput> = {}): AcquireInput => ({
  target: { model: 'tasks', id },
  action: owner,
  wait: true,
  ttlMs: 30_000,
  holder: { id: owner, kind: 'agent' },
  credentialId: owner,
  ownerId: owner,
  groups: [],
  ...over,
})
const empty = { waiters: 0, seen: 0, rowOfWaiter: 0, expiryTimers: 0, owners: 0, joining: 0 }

it('keeps nothing in memory for rows whose claims all ended (HTTP owners never disconnect)', async () => {
  const claims = storeClaimCoordinator(memoryStore())
  for (let i = 0; i < 100; i++) {
    const grant = await claims.acquire(input('http:usr_a', `row-${i}`))
    await claims.release(grant.state.id)
  }
  // Leases that run out on their own, too.
  for (let i = 0; i < 20; i++) await claims.acquire(input('http:usr_b', `short-${i}`, { ttlMs: 50 }))
  await vi.waitFor(async () => expect(await claims.all()).toEqual([]))
  await vi.waitFor(() => expect(storeClaimsBookkeeping(claims)).toEqual(empty))
  claims.close()
})

it('an acquire whose lease ran out before its grant was read back is told, and leaves nothing behind', async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  try {
    // A store (or an event loop) slow enough that a 5 ms lease is over when the line change comes back.
    const base = memoryStore()
    const slow: Store = {
      ...base,
      updateRecord: async (kind, id, fn) => {
        const next = await base.updateRecord(kind, id, fn)
        vi.setSystemTime(Date.now() + 10)
        return next
      },
    }
    const claims = storeClaimCoordinator(slow)
    await expect(claims.acquire(input('http:usr_a', 'r', { ttlMs: 5 }))).rejects.toMatchObject({ code: 'claim_lost' })
    await vi.waitFor(() => expect(storeClaimsBookkeeping(claims)).toEqual(empty))
    expect(await claims.all()).toEqual([])
    claims.close()
  } finally {
    vi.useRealTimers()
  }
})

it('forgets the row of a refused acquire, but not while the owner still has a claim there', async () => {
  const claims = storeClaimCoordinator(memoryStore())
  const held = await claims.acquire(input('conn_a', 'r'))
  for (let i = 0; i < 50; i++) await expect(claims.acquire(input(`http:usr_${i}`, 'r', { wait: false }))).rejects.toMatchObject({ code: 'entity_claimed' })
  // The holder asks again and is refused by its own claim: its row must stay known, so its disconnect still drops the hold.
  await expect(claims.acquire(input('conn_a', 'r', { wait: false }))).rejects.toMatchObject({ code: 'entity_claimed' })
  expect(storeClaimsBookkeeping(claims)).toMatchObject({ owners: 1 })
  claims.ownerGone('conn_a', 0)
  await vi.waitFor(async () => expect(await claims.get(held.state.id)).toBeNull())
  await vi.waitFor(() => expect(storeClaimsBookkeeping(claims)).toEqual(empty))
  claims.close()
})

it('a release racing a new acquire by the same owner on the same row leaves the new claim tied to the owner', async () => {
  const claims = storeClaimCoordinator(memoryStore())
  const first = await claims.acquire(input('conn_a', 'r'))
  const [, second] = await Promise.all([claims.release(first.state.id), claims.acquire(input('conn_a', 'r'))])
  expect(second.state.status).toBe('active')
  // Its disconnect (no grace) drops the new hold: the coordinator still knows the owner's row.
  claims.ownerGone('conn_a', 0)
  await vi.waitFor(async () => expect(await claims.get(second.state.id)).toBeNull())
  claims.close()
})
