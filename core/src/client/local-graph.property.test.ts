/**
 * Property test of optimistic writes and rebase: random interleavings of
 * local writes, the server accepting or refusing them in order, other
 * clients' writes, deliveries of the log and commit results arriving early
 * or late. Invariants: a local write is visible at once; once everything is
 * delivered and answered, nothing is pending and the graph equals the
 * server's state.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { LogEntry } from '../protocol/index.ts'
import type { AnyRow } from '../schema/types.ts'
import { type ClientOperation, LocalGraph } from './local-graph.ts'

const ids = ['a', 'b', 'c']
type Cmd =
  | { kind: 'local'; id: number; op: 'create' | 'update' | 'delete'; value: number }
  | { kind: 'serve' }
  | { kind: 'foreign'; id: number; op: 'create' | 'update' | 'delete'; value: number }
  | { kind: 'deliver'; n: number }
  | { kind: 'answer' }
  | { kind: 'bootstrap' }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('local' as const),
      id: fc.nat(2),
      op: fc.constantFrom('create' as const, 'update' as const, 'delete' as const),
      value: fc.nat(99),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('serve' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('foreign' as const),
      id: fc.nat(2),
      op: fc.constantFrom('create' as const, 'update' as const, 'delete' as const),
      value: fc.nat(99),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('answer' as const) }) },
  // A resync: the client gets a snapshot instead of the entries (so it never sees their txIds).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bootstrap' as const) }) },
)

it('optimistic writes rebase onto server deltas and converge to the server state', () => {
  fc.assert(
    fc.property(fc.array(cmd, { maxLength: 60 }), (cmds) => {
      const graph = new LocalGraph(['items'])
      graph.applyBootstrap(0, { items: [] })
      const server = new Map<string, AnyRow>()
      let head = 0
      let txSeq = 0
      const outbox: Array<{ txId: string; op: ClientOperation }> = [] // sent, not yet served
      const log: LogEntry[] = [] // committed, not yet delivered
      const answers: Array<() => void> = [] // results (confirm / reject) not yet delivered

      // Reference model of what the client should show: the delivered server state, with the
      // local writes it cannot yet know the fate of folded on top, in order.
      const delivered = new Map<string, number>() // id → value
      let deliveredHead = 0
      const unsettled: Array<{ txId: string; op: ClientOperation; syncId?: number }> = []
      const settle = () => {
        for (let i = unsettled.length - 1; i >= 0; i--) {
          const t = unsettled[i]!
          if (t.syncId !== undefined && t.syncId <= deliveredHead) unsettled.splice(i, 1)
        }
      }
      const deliver = (entries: LogEntry[]) => {
        graph.applyEntries(entries)
        for (const e of entries) {
          for (const ch of e.changes) {
            if (ch.data) delivered.set(ch.id, ch.data['value'] as number)
            else delivered.delete(ch.id)
          }
          deliveredHead = e.syncId
          const mine = unsettled.findIndex((t) => t.txId === e.txId)
          if (mine >= 0) unsettled.splice(mine, 1)
        }
        settle()
      }
      const checkVisible = () => {
        for (const id of ids) {
          let value: number | undefined = delivered.get(id)
          for (const t of unsettled) {
            if (t.op.id !== id) continue
            if (t.op.op === 'delete') value = undefined
            else if (t.op.op === 'create' || value !== undefined) value = t.op.data!['value'] as number
          }
          expect(graph.get('items', id)?.['value']).toBe(value)
          // The whole row equals a naive fold of the whole queue onto the confirmed row (the graph folds incrementally).
          let row: AnyRow | undefined = graph.confirmedRow('items', id)
          for (const tx of graph.pending)
            for (const op of tx.operations) {
              if (op.id !== id) continue
              if (op.op === 'delete') row = undefined
              else if (op.op === 'create') row = { ...op.data, id, createdAt: tx.at, updatedAt: tx.at, syncId: row?.syncId ?? 0 } as AnyRow
              else if (row) row = { ...row, ...op.data, updatedAt: tx.at } as AnyRow
            }
          expect(graph.get('items', id)).toEqual(row)
        }
      }

      // The server applies one operation in order, as the commit pipeline does.
      const commit = (op: ClientOperation, txId: string | null): number | null => {
        const current = server.get(op.id)
        if (op.op === 'create' ? current : !current) return null
        head++
        const data =
          op.op === 'delete'
            ? null
            : ({ ...(current ?? {}), ...op.data, id: op.id, createdAt: current?.createdAt ?? 't', updatedAt: 't', syncId: head } as AnyRow)
        if (data) server.set(op.id, data)
        else server.delete(op.id)
        log.push({
          syncId: head,
          txId,
          actor: { id: 'x', kind: 'agent' },
          stale: false,
          createdAt: 't',
          changes: [{ model: 'items', id: op.id, op: op.op, data, previous: null, groups: [] }],
        })
        return head
      }

      // A commit's answer: a refusal rolls the write back; a confirmation settles it once the graph reaches it.
      const answerFor = (txId: string, syncId: number | null) => () => {
        const t = unsettled.find((x) => x.txId === txId)
        if (syncId === null) {
          graph.reject(txId)
          if (t) unsettled.splice(unsettled.indexOf(t), 1)
        } else {
          graph.confirm(txId, syncId)
          if (t) t.syncId = syncId
          settle()
        }
      }

      for (const c of cmds) {
        if (c.kind === 'local') {
          const id = ids[c.id]!
          const op: ClientOperation = { op: c.op, model: 'items', id, data: c.op === 'delete' ? {} : { value: c.value } }
          const txId = `tx${++txSeq}`
          const before = graph.get('items', id)
          graph.addPending({ txId, operations: [op], at: `t${txSeq}` })
          outbox.push({ txId, op })
          unsettled.push({ txId, op })
          // Visible at once.
          const after = graph.get('items', id)
          if (op.op === 'delete') expect(after).toBeUndefined()
          else if (op.op === 'create') expect(after?.['value']).toBe(c.value)
          else if (before) expect(after?.['value']).toBe(c.value)
        } else if (c.kind === 'serve') {
          const next = outbox.shift()
          if (!next) continue
          const syncId = commit(next.op, next.txId)
          answers.push(answerFor(next.txId, syncId))
        } else if (c.kind === 'foreign') {
          commit({ op: c.op, model: 'items', id: ids[c.id]!, data: c.op === 'delete' ? {} : { value: c.value } }, null)
        } else if (c.kind === 'deliver') {
          deliver(log.splice(0, c.n))
        } else if (c.kind === 'bootstrap') {
          log.splice(0)
          graph.applyBootstrap(head, { items: [...server.values()] })
          delivered.clear()
          for (const [id, row] of server) delivered.set(id, row['value'] as number)
          deliveredHead = head
          settle()
        } else {
          answers.shift()?.()
        }
        checkVisible()
      }

      // Let everything land: serve the rest, deliver the log, give every answer.
      while (outbox.length) {
        const next = outbox.shift()!
        answers.push(answerFor(next.txId, commit(next.op, next.txId)))
      }
      deliver(log.splice(0))
      for (const answer of answers.splice(0)) answer()
      checkVisible()

      expect(graph.pending).toHaveLength(0)
      expect(graph.cursor).toBe(head)
      const expected = [...server.values()].sort((x, y) => (x.id < y.id ? -1 : 1))
      expect(graph.snapshot()['items']).toEqual(expected)
    }),
    { numRuns: 500 },
  )
})
