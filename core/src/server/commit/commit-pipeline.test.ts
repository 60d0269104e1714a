import { expect, it } from 'vitest'
import { defineSchema, model, z } from '../../schema/index.ts'
import { CommitPipeline } from './commit-pipeline.ts'
import { Hub } from '../sync/hub.ts'
import type { Session } from '../identity/session.ts'
import { memoryStore } from '../stores/memory-store.ts'
import { sqliteStore } from '../stores/sqlite-store.ts'

const schema = defineSchema({ notes: model({ text: z.string() }) })
const session: Session = { credentialId: 'k', actor: { id: 'k', kind: 'agent' }, groups: null, defaultGroup: 'org:default', secret: true }

it('flushed() waits for commits submitted before it, not for the queue to run dry', async () => {
  const store = memoryStore()
  await store.open(schema)
  const pipeline = new CommitPipeline({ schema, store, hub: new Hub((a, l) => store.readLog(a, l)), maxOperations: 10 })
  const commit = (n: number) => pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', data: { text: `n${n}` } }] }, undefined, 'server')
  const early = [commit(0), commit(1), commit(2)]
  // A writer that never stops: each commit submits the next.
  let n = 3
  let stop = false
  const busy = (async () => {
    while (!stop && n < 5000) await commit(n++)
  })()
  await pipeline.flushed()
  const seenAtFlush = n
  stop = true
  await busy
  for (const c of early) expect((await c).syncId).toBeLessThanOrEqual(3)
  expect(seenAtFlush).toBeLessThan(5000) // it did not wait for the writer to give up
})

it('commits queued in the same tick share one transaction', async () => {
  const store = memoryStore()
  await store.open(schema)
  let transactions = 0
  const counting = { ...store, transaction: <T>(fn: Parameters<typeof store.transaction<T>>[0]) => (transactions++, store.transaction(fn)) }
  const pipeline = new CommitPipeline({ schema, store: counting, hub: new Hub((a, l) => store.readLog(a, l)), maxOperations: 10 })
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', data: { text: `t${i}` } }] }, undefined, 'server'),
    ),
  )
  expect(results.map((r) => r.syncId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  expect(transactions).toBe(1)
})

it('a refused commit leaves nothing behind, alone or inside a batch', async () => {
  for (const make of [() => memoryStore(), () => sqliteStore({ path: ':memory:' })]) {
    const store = make()
    await store.open(schema)
    const pipeline = new CommitPipeline({ schema, store, hub: new Hub((a, l) => store.readLog(a, l)), maxOperations: 10 })
    // The first operation is applied before the second fails (not_found).
    const halfBad = (id: string) =>
      pipeline.submit(
        session,
        {
          operations: [
            { op: 'create', model: 'notes', id, data: { text: id } },
            { op: 'update', model: 'notes', id: 'missing', data: { text: 'x' } },
          ],
        },
        undefined,
        'server',
      )
    const good = (id: string) => pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', id, data: { text: id } }] }, undefined, 'server')

    await expect(halfBad('alone')).rejects.toMatchObject({ code: 'not_found' })
    expect(await store.getRow('notes', 'alone')).toBeNull()
    expect(await store.headSyncId()).toBe(0)

    const [a, bad, c] = await Promise.allSettled([good('a'), halfBad('in-batch'), good('c')])
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } })
    expect([a, c].map((r) => (r.status === 'fulfilled' ? r.value.syncId : null))).toEqual([1, 2])
    expect(await store.getRow('notes', 'in-batch')).toBeNull()
    expect((await store.readLog(0, 10)).map((e) => e.changes.map((ch) => ch.id))).toEqual([['a'], ['c']])
    await store.close()
  }
})

it('claim entries need no savepoint; commits keep theirs, and a claim entry whose append fails fails its batch', async () => {
  const store = memoryStore()
  await store.open(schema)
  let savepoints = 0
  let failAppend = false
  const counting = {
    ...store,
    transaction: <T>(fn: Parameters<typeof store.transaction<T>>[0]) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          savepoint: (inner) => (savepoints++, tx.savepoint(inner)),
          appendLog: async (entry) => {
            if (failAppend && entry.claim) throw new Error('disk full')
            return tx.appendLog(entry)
          },
        }),
      ),
  }
  const pipeline = new CommitPipeline({ schema, store: counting, hub: new Hub((a, l) => store.readLog(a, l)), maxOperations: 10 })
  const claim = { event: 'released' as const, state: {} as never, groups: ['org:default'] }
  const note = () => pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', data: { text: 'n' } }] }, undefined, 'server')

  const results = await Promise.all([pipeline.appendClaimEvent(session, claim), note(), pipeline.appendClaimEvent(session, { ...claim, event: 'granted' })])
  expect(results.map((r) => r.syncId)).toEqual([1, 2, 3])
  expect(savepoints).toBe(1)

  failAppend = true
  const batch = await Promise.allSettled([note(), pipeline.appendClaimEvent(session, claim)])
  expect(batch.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  expect(await store.headSyncId()).toBe(3)
})
