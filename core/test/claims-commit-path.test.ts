/**
 * Claims on the commit path, with a store-backed coordinator: a hand-off
 * waits for the holder's writes to land, and only for them (the log's record
 * of claim events lands in queue order too, but the next holder is not kept
 * waiting for it); and a batch's claim checks read every line they need at
 * once.
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

it('a batch of updates asks for the claim lines of all its rows at once, not one line per update in turn', async () => {
  const inner = memoryStore()
  const rows = ['r1', 'r2', 'r3', 'r4', 'r5']
  // Armed: claim-line reads wait until every row's read is pending at once (or give up after 5 s and say so).
  let barrier: { pending: number; release: () => void; reached: Promise<void> } | null = null
  let together = true
  const store: Store = {
    ...inner,
    async getRecord(kind, id) {
      const b = barrier
      if (kind === 'claim_line' && b) {
        if (++b.pending === rows.length) b.release()
        await b.reached
      }
      return inner.getRecord(kind, id)
    },
  }
  const { http } = await setup({ store, claimCoordinator: storeClaimCoordinator(store) })
  const create = rows.map((id) => ({ op: 'create', model: 'tasks', id, data: { title: id } }))
  expect((await http('POST', '/v1/commits', { operations: create })).status).toBe(200)
  let release!: () => void
  const reached = new Promise<void>((resolve) => (release = resolve))
  const giveUp = setTimeout(() => ((together = false), release()), 5000)
  barrier = { pending: 0, release, reached }
  const updates = rows.map((id) => ({ operations: [{ op: 'update', model: 'tasks', id, data: { status: 'done' } }] }))
  const res = await http('POST', '/v1/commits/batch', { commits: updates })
  clearTimeout(giveUp)
  barrier = null
  expect(res.body.results.map((r: { object: string }) => r.object)).toEqual(rows.map(() => 'commit'))
  expect(together).toBe(true)
})
