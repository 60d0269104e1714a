/** A node that stops beating (died) loses its waiters from the shared lines; its holder runs out by its lease. */
import { expect, it } from 'vitest'
import type { Store } from '../store.ts'
import { memoryStore } from '../stores/memory-store.ts'
import { storeClaimCoordinator } from './store-claims.ts'

const input = (who: string, ttlMs = 60_000) => ({
  target: { model: 'tasks', id: 'r' },
  action: who,
  wait: true,
  ttlMs,
  holder: { id: who, kind: 'agent' as const },
  credentialId: who,
  ownerId: who,
  groups: [],
})

/** A view of `store` that stops answering at `kill()`: the node is gone, mid-whatever, and cleans nothing up. */
function killable(store: Store): Store & { kill(): void } {
  let dead = false
  const view = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => (dead ? new Promise(() => {}) : (value as (...a: unknown[]) => unknown).apply(target, args))
    },
  })
  return Object.assign(view, { kill: () => void (dead = true) })
}

it('the survivors drop a silent node’s waiter, so the waiter behind it is granted next', async () => {
  const store = memoryStore()
  const nodeTimeoutMs = 150
  const dyingView = killable(store)
  const [alive, dying] = [storeClaimCoordinator(store, { nodeTimeoutMs }), storeClaimCoordinator(dyingView, { nodeTimeoutMs })]
  const held = await alive.acquire(input('alice'))
  const orphan = dying.acquire(input('bob'))
  orphan.catch(() => undefined)
  await expect.poll(() => alive.claimsOn('tasks', 'r').then((l) => l.length)).toBe(2)
  const behind = alive.acquire(input('carol'))
  await expect.poll(() => alive.claimsOn('tasks', 'r').then((l) => l.map((c) => c.heldBy.id))).toEqual(['alice', 'bob', 'carol'])

  // Dies: nothing of it reaches the store any more (not even its close); its entry is still in the stored line.
  dyingView.kill()
  void dying.close()
  const ended: string[] = []
  alive.onEvent((e) => ended.push(`${e.event}:${e.state.heldBy.id}`))
  await expect.poll(() => alive.claimsOn('tasks', 'r').then((l) => l.map((c) => c.heldBy.id)), { timeout: 5000 }).toEqual(['alice', 'carol'])
  expect(ended).toEqual(['canceled:bob'])

  await alive.release(held.state.id)
  expect((await behind).state.heldBy.id).toBe('carol')
  alive.close()
})

it('a node that keeps beating keeps its waiters', async () => {
  const store = memoryStore()
  const [a, b] = [storeClaimCoordinator(store, { nodeTimeoutMs: 100 }), storeClaimCoordinator(store, { nodeTimeoutMs: 100 })]
  const held = await a.acquire(input('alice'))
  const waiting = b.acquire(input('bob'))
  // Several beat rounds go by (each node beats every ~33 ms).
  await new Promise((r) => setTimeout(r, 400))
  expect((await a.claimsOn('tasks', 'r')).map((c) => c.heldBy.id)).toEqual(['alice', 'bob'])
  await a.release(held.state.id)
  b.observe('tasks', 'r')
  expect((await waiting).state.heldBy.id).toBe('bob')
  a.close()
  b.close()
})
