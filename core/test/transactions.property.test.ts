/**
 * Property test of `tandem.transaction`: random transactions from two clients (one on WebSocket, one on
 * long-poll), queued without waiting, interleaved with remote HTTP writes. Many are refused (a create of a row
 * that exists, an update of one that does not, a stale `readAt`). Afterwards both clients converge on the
 * server's rows, and every transaction is all-or-nothing in the log: a confirmed one is exactly one entry with
 * all its operations, in order; a refused one left nothing.
 */
import fc from 'fast-check'
import Tandem from '@tandem/core'
import { until } from '@tandem/core/testing'
import { expect, it } from 'vitest'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

const rows = 4
const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), row: fc.nat(rows - 1) }),
  fc.record({ kind: fc.constant('update' as const), row: fc.nat(rows - 1), points: fc.nat(99) }),
  fc.record({ kind: fc.constant('guarded' as const), row: fc.nat(rows - 1), points: fc.nat(99) }),
  fc.record({ kind: fc.constant('delete' as const), row: fc.nat(rows - 1) }),
)
const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ who: fc.constantFrom('a' as const, 'b' as const), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ who: fc.constant('remote' as const), row: fc.nat(rows - 1), points: fc.nat(99) }) },
  { weight: 1, arbitrary: fc.record({ who: fc.constant('yield' as const) }) },
)

it('random transactions from two clients with remote writes between them: all-or-nothing in the log, and everyone converges', async () => {
  const { server, http } = await setup()
  const connect = (transport: 'websocket' | 'http') => {
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport })
    defer(() => c.dispose())
    return c
  }
  const clients = { a: connect('websocket'), b: connect('http') }
  await Promise.all([clients.a.ready(), clients.b.ready()])
  const head = async () => (await http('GET', '/v1/changes?after=0&limit=1')).body.syncId as number
  let round = 0
  const tally = { confirmed: 0, refused: 0 }

  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
      const prefix = `p${round++}-`
      const after = await head()
      const made: Array<{ runId: string; ids: string[]; outcome: Promise<number | null> }> = []
      for (const [n, s] of steps.entries()) {
        if (s.who === 'yield') await new Promise((resolve) => setImmediate(resolve))
        else if (s.who === 'remote') {
          await http('POST', '/v1/commits', { operations: [{ op: 'update', model: 'tasks', id: `${prefix}${s.row}`, data: { points: s.points } }] })
        } else {
          const client = clients[s.who]
          const runId = `${prefix}tx${n}`
          const outcome = client.transaction(
            (tx) => {
              for (const o of s.ops) {
                const id = `${prefix}${o.row}`
                if (o.kind === 'create') tx.tasks.create({ id, data: { title: 'made', points: 0 } })
                else if (o.kind === 'delete') tx.tasks.delete({ id })
                else tx.tasks.update({ id, data: { points: o.points }, ...(o.kind === 'guarded' ? { readAt: client.cursor() } : {}) })
              }
            },
            { runId },
          )
          made.push({
            runId,
            ids: s.ops.map((o) => `${prefix}${o.row}`),
            outcome: outcome.then(
              (r) => r.syncId,
              () => null,
            ),
          })
        }
      }
      const outcomes = await Promise.all(made.map((m) => m.outcome))
      for (const o of outcomes) tally[o === null ? 'refused' : 'confirmed']++

      const entries: any[] = (await http('GET', `/v1/changes?after=${after}&limit=1000`)).body.data
      for (const [i, m] of made.entries()) {
        const mine = entries.filter((e) => e.runId === m.runId)
        if (outcomes[i] === null) expect(mine, m.runId).toEqual([])
        else {
          expect(mine.map((e) => e.syncId)).toEqual([outcomes[i]])
          expect(mine[0].changes.map((c: any) => c.id)).toEqual(m.ids)
        }
      }

      const end = await head()
      const server = (await http('GET', `/v1/models/tasks?limit=1000`)).body.data as any[]
      const expected = server.filter((r) => r.id.startsWith(prefix)).sort((x, y) => (x.id < y.id ? -1 : 1))
      for (const client of Object.values(clients)) {
        await until(client, (t) => t.cursor() >= end && t.pendingCount() === 0)
        expect(client.snapshot().tasks.filter((r) => r.id.startsWith(prefix))).toEqual(expected)
      }
    }),
    { numRuns: 25 },
  )
  // The runs exercised both sides of all-or-nothing.
  expect(tally.confirmed).toBeGreaterThan(0)
  expect(tally.refused).toBeGreaterThan(0)
}, 120_000)
