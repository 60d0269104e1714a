/**
 * @module Settle the journal: for every commit the endpoint may hold but the
 * log does not, first send it again with its own clientTxId (so it is
 * certainly applied once and any late copy is a duplicate), then send an undo
 * that restores the rows it touched, newest commit first.
 */
import type { Journal } from './journal.ts'
import type { SourceOperation } from './protocol.ts'
import type { RemoteRows } from './remote-rows.ts'
import { diffOp } from './row-diff.ts'

/** Settle every journal item except `keep` (commits of the running transaction that will be logged). Throws when the endpoint does not cooperate. */
export async function settleJournal(journal: Journal, remote: RemoteRows, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const items = (await journal.list()).filter((item) => !keep.has(item.request.clientTxId))
  if (items.length === 0) return
  for (const item of items) {
    const again = await remote.commit(item.request)
    // A definite refusal means it never applied; only an unknown outcome stops us.
    if (!again.ok && again.maybeApplied) throw again.error
  }
  for (const item of [...items].reverse()) {
    const operations: SourceOperation[] = []
    for (const before of item.before) {
      const op = diffOp(before.model, before.id, await remote.load(before.model, before.id), before.value)
      if (op) operations.push(op)
    }
    if (operations.length === 0) continue
    const clientTxId = `${item.request.clientTxId}.undo`
    const undo = await remote.commit({ type: 'commit', clientTxId, operations, scope: item.request.scope, undoes: item.request.clientTxId })
    if (!undo.ok) throw undo.error
  }
  await journal.remove(items.map((item) => item.request.clientTxId))
}
