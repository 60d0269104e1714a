import { afterEach, expect, it, vi } from 'vitest'
import type { Session } from '../identity/session.ts'
import { memoryStore } from '../stores/memory-store.ts'
import { claimGuard } from './claim-guard.ts'
import { storeClaimCoordinator } from './store-claims.ts'

afterEach(() => vi.useRealTimers())

const input = (who: string, over: Record<string, unknown> = {}) => ({
  target: { model: 'tasks', id: 'r' },
  action: who,
  wait: true,
  ttlMs: 1000,
  holder: { id: who, kind: 'agent' as const },
  credentialId: who,
  ownerId: who,
  groups: [],
  ...over,
})
const sessionOf = (who: string): Session => ({ credentialId: who, actor: { id: who, kind: 'agent' }, groups: null, defaultGroup: 'org:default', secret: true })
const session = sessionOf('alice')

it('two nodes share one line: exclusivity, FIFO hand-off across nodes, and expiry judged by the clock', async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  const store = memoryStore()
  const [a, b] = [storeClaimCoordinator(store), storeClaimCoordinator(store)]
  const first = await a.acquire(input('alice'))
  expect(first.state.status).toBe('active')

  // Node B sees A's holder: B's waiter queues behind it, and B refuses writes without the token.
  const waiting = b.acquire(input('bob'))
  await vi.waitFor(async () => expect((await b.claimsOn('tasks', 'r')).map((c) => c.status)).toEqual(['active', 'queued']))
  const op = { op: 'update' as const, model: 'tasks', id: 'r', data: { title: 'x' }, readAt: undefined, onStale: 'reject' as const }
  await expect(claimGuard(b).check({ session, op, current: null, claimToken: undefined, tx: undefined as never })).rejects.toMatchObject({
    code: 'entity_claimed',
  })
  await claimGuard(b).check({ session, op, current: null, claimToken: first.token, tx: undefined as never })

  // A releases; B learns of it from the log (observe) and its waiter is granted with a newer fence.
  await a.release(first.state.id)
  b.observe('tasks', 'r')
  const second = await waiting
  expect(second.state.heldBy.id).toBe('bob')
  const fence = (token: string) => Number(token.split('.')[1])
  expect(fence(second.token)).toBeGreaterThan(fence(first.token))

  // B's holder pauses past its TTL; no node has removed it yet, but the clock says it is over:
  vi.setSystemTime(Date.now() + 1500)
  expect(await a.byToken(second.token)).toBeNull()
  expect(await a.activeOn('tasks', 'r')).toEqual([])
  await expect(claimGuard(a).check({ session: sessionOf('bob'), op, current: null, claimToken: second.token, tx: undefined as never })).rejects.toMatchObject({
    code: 'claim_lost',
  })
  await expect(b.heartbeat(second.token)).rejects.toMatchObject({ code: 'claim_lost' })
  const third = await a.acquire(input('carol', { wait: false }))
  expect(third.state.status).toBe('active')
  a.close()
  b.close()
})

it("a hand-off reports the holder's release before the next holder's grant, as the log must read", async () => {
  const claims = storeClaimCoordinator(memoryStore())
  const events: string[] = []
  claims.onEvent((e) => events.push(`${e.event}:${e.state.action}`))
  const first = await claims.acquire(input('alice'))
  const waiting = claims.acquire(input('bob'))
  await vi.waitFor(() => expect(events).toContain('queued:bob'))
  await claims.release(first.state.id)
  await waiting
  expect(events).toEqual(['granted:alice', 'queued:bob', 'released:alice', 'granted:bob'])
  claims.close()
})

it('a node reads where a claim lives at most once: its release and token checks do not read the claim index again', async () => {
  const store = memoryStore()
  const indexReads: string[] = []
  const counted = { ...store, getRecord: (kind: string, id: string) => (kind === 'claim_index' && indexReads.push(id), store.getRecord(kind, id)) }
  const [a, b] = [storeClaimCoordinator(counted), storeClaimCoordinator(counted)]
  const first = await a.acquire(input('alice'))
  expect(await a.byToken(first.token)).toMatchObject({ credentialId: 'alice' })
  expect(await a.release(first.state.id)).toMatchObject({ status: 'released' })
  expect(indexReads).toEqual([])
  // Another node reads it once, then knows; an ended claim still reads as ended there.
  const second = await a.acquire(input('bob'))
  expect(await b.get(second.state.id)).toMatchObject({ credentialId: 'bob' })
  expect(await b.byToken(second.token)).toMatchObject({ credentialId: 'bob' })
  expect(indexReads).toEqual([second.state.id])
  await a.release(second.state.id)
  expect(await b.get(second.state.id)).toBeNull()
  expect(await b.release(second.state.id)).toBeNull()
})
