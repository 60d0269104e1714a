/**
 * @module The stale guard (`readAt`): which fields changed since the caller's read, and the `stale_context` error
 * that names them with both values.
 */
import { type StaleConflict, TandemStaleContextError } from '../../errors/index.ts'
import { paramPath } from '../../schema/param-path.ts'
import type { AnyRow } from '../../schema/types.ts'
import type { Store } from '../store.ts'

/** What the guard needs of an operation. */
export interface GuardedOp {
  op: 'create' | 'update' | 'delete'
  model: string
  id: string
  data: Record<string, unknown>
  readAt: number | undefined
}

/** Fields of a row changed after `readAt`, read from the log (bounded scan; null if too far back). */
export async function changedSince(store: Store, model: string, id: string, readAt: number): Promise<Set<string> | null> {
  const fields = new Set<string>()
  let after = readAt
  for (let pages = 0; pages < 20; pages++) {
    const entries = await store.readLog(after, 500)
    for (const e of entries) {
      for (const ch of e.changes) {
        if (ch.model !== model || ch.id !== id) continue
        for (const f of Object.keys(ch.previous ?? ch.data ?? {})) fields.add(f)
      }
    }
    // Nothing in the committed log: the change is in this very batch; say every field may conflict.
    if (entries.length < 500) return fields.size ? fields : null
    after = entries.at(-1)!.syncId
  }
  return null
}

const hidden = new Set(['id', 'createdAt', 'updatedAt', 'syncId'])

/**
 * `conflicts` lists the fields someone changed after `readAt` (from the log),
 * with the value you tried to write (`yours`, undefined if you did not write
 * it) and the current one (`theirs`).
 */
export function staleError(op: GuardedOp, current: AnyRow, changed: Set<string> | null, at?: string): TandemStaleContextError {
  const fields = [...(changed ?? new Set(Object.keys(current)))].filter((f) => !hidden.has(f))
  const conflicts: StaleConflict[] = fields.map((field) => ({ field, yours: op.op === 'delete' ? null : op.data[field], theirs: current[field] ?? null }))
  return new TandemStaleContextError({
    code: 'stale_context',
    message: `${op.model} "${op.id}" changed after readAt ${op.readAt} (now at syncId ${current.syncId})`,
    param: at === undefined ? 'readAt' : paramPath(at, 'readAt'),
    details: { model: op.model, id: op.id, readAt: op.readAt, currentSyncId: current.syncId, conflicts },
  })
}
