import { expect, it } from 'vitest'
import { defineSchema, model, z } from '../schema/index.ts'
import { CommitPipeline } from './commit-pipeline.ts'
import { Hub } from './hub.ts'
import type { Session } from './session.ts'
import { memoryStore } from './stores/memory-store.ts'

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
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', data: { text: `t${i}` } }] }, undefined, 'server')))
  expect(results.map((r) => r.syncId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  expect(transactions).toBe(1)
})
