/**
 * A claim hand-off waits for the holder's writes to land, and only for them:
 * the log's record of claim events (queued, released, granted) lands in
 * queue order too, but the next holder is not kept waiting for it.
 */
import { memoryStore, storeClaimCoordinator, type Store } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { expect, it } from 'vitest'
import { setup } from './helpers.ts'

/** A memory store whose commit transactions can be held at the door. */
function gatedStore(): { store: Store; hold(): () => void } {
  const inner = memoryStore()
  let gate: Promise<void> | null = null
  const store: Store = {
    ...inner,
    async transaction(fn, options) {
      while (gate) await gate
      return inner.transaction(fn, options)
    },
  }
  return {
    store,
    hold() {
      let open!: () => void
      gate = new Promise<void>((resolve) => (open = resolve))
      return () => ((gate = null), open())
    },
  }
}

it('the next holder is granted while the claim events of the hand-off still wait to be logged', async () => {
  const { store, hold } = gatedStore()
  const { client, http } = await setup({ store, claimCoordinator: storeClaimCoordinator(store) })
  const [a, b] = [client(), client()]
  await Promise.all([a.ready(), b.ready()])
  const row = await a.tasks.create({ id: 'r', data: { title: 'before' } })
  const held = await a.tasks.claim({ id: row.id, action: 'editing' })
  await a.tasks.update({ id: row.id, data: { title: 'written under the claim' } })
  const waiting = b.tasks.claim({ id: row.id, action: 'next' })
  await until(a, (c) => c.tasks.claim.queue({ id: row.id }).length > 0)
  // From here on no commit transaction starts: the claim events of the release and the grant queue up unlogged.
  const open = hold()
  try {
    await held.release()
    const next = await waiting
    expect(next.token).toMatch(/\S/)
    expect(next.data).toMatchObject({ title: 'written under the claim' })
  } finally {
    open()
  }
  // A commit queued after them lands after them.
  expect((await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'after', data: { title: 'after' } }] })).status).toBe(200)
  const log = await http('GET', '/v1/changes?after=0')
  const events = log.body.data.filter((e: { claim?: unknown }) => e.claim).map((e: { claim: { event: string } }) => e.claim.event)
  expect(events).toEqual(['granted', 'queued', 'released', 'granted'])
})
