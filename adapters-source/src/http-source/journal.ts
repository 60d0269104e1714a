/**
 * @module The commit journal: every commit is written here (durably, in the
 * log store) before it is sent to the Data Source, and removed in the same
 * log-store transaction that appends its log entry. An item still present
 * means the endpoint may hold a commit Tandem's log does not: `settle()`
 * makes it definite and undoes it.
 */
import { defineSchema, model, z } from '@tandem/core/schema'
import type { Store, StoreTransaction } from '@tandem/core/server'
import type { CommitRequest } from './protocol.ts'
import type { RowState } from './row-diff.ts'

export const journalModel = 'httpSourceJournal'

/** The only model of the log store: the journal (the log and idempotency records are built in). */
export const journalSchema = defineSchema({
  [journalModel]: model({ seq: z.number().int(), request: z.string(), before: z.string() }),
})

export interface JournalItem {
  seq: number
  request: CommitRequest
  /** The endpoint's rows before the commit, for every row it touches. */
  before: RowState[]
}

export interface Journal {
  init(): Promise<void>
  add(request: CommitRequest, before: RowState[]): Promise<void>
  list(): Promise<JournalItem[]>
  remove(clientTxIds: readonly string[]): Promise<void>
  /** Remove inside a log-store transaction (atomically with the log entries). */
  removeIn(tx: StoreTransaction, clientTxIds: readonly string[]): Promise<void>
}

export function createJournal(log: Store): Journal {
  let seq = 0
  const list = async (): Promise<JournalItem[]> => {
    const rows = await log.listRows(journalModel, {
      conditions: [],
      sort: [
        { field: 'seq', dir: 'asc' },
        { field: 'id', dir: 'asc' },
      ],
      limit: 1_000_000,
      groups: null,
    })
    return rows.map((r) => ({ seq: r['seq'] as number, request: JSON.parse(r['request'] as string), before: JSON.parse(r['before'] as string) }))
  }
  const removeIn = async (tx: StoreTransaction, ids: readonly string[]) => {
    for (const id of ids) await tx.deleteRow(journalModel, id)
  }
  return {
    async init() {
      seq = (await list()).at(-1)?.seq ?? 0
    },
    async add(request, before) {
      const now = new Date().toISOString()
      const row = {
        id: request.clientTxId,
        createdAt: now,
        updatedAt: now,
        syncId: 0,
        seq: ++seq,
        request: JSON.stringify(request),
        before: JSON.stringify(before),
      }
      await log.transaction((tx) => tx.putRow(journalModel, { row, groups: [] }))
    },
    list,
    async remove(ids) {
      if (ids.length) await log.transaction((tx) => removeIn(tx, ids))
    },
    removeIn,
  }
}
