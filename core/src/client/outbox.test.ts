import { describe, expect, it } from 'vitest'
import { deferred } from '../internal/deferred.ts'
import { LocalGraph } from './local-graph.ts'
import { Outbox } from './outbox.ts'
import { volatileOutbox } from './persistence.ts'

describe('Outbox.settled', () => {
  it('waits for a write that carries the claim token on one of its operations (a transaction), not only on the commit', async () => {
    const answer = deferred<unknown>()
    const outbox = new Outbox({ graph: new LocalGraph(['tasks']), persisted: volatileOutbox, live: () => true, send: () => answer.promise })
    outbox.write(
      [
        { op: 'update', model: 'tasks', id: 'a', data: { title: 'A' }, claimToken: 'ct_1' },
        { op: 'update', model: 'tasks', id: 'b', data: { title: 'B' }, claimToken: 'ct_2' },
      ],
      undefined,
    )
    let settled = false
    const waiting = outbox.settled('ct_2').then(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve)) // the commit is unanswered
    expect(settled).toBe(false)
    answer.resolve({ object: 'commit', syncId: 1, stale: false, rows: [] })
    await waiting
    expect(settled).toBe(true)
  })
})
