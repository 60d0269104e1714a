/** @module The operation that takes one row from the state the endpoint holds to the state Tandem wants. */
import type { StoredRow } from '@tandem/core/server'
import { jsonEqual } from '@tandem/core/store-kit'
import type { SourceOperation } from './protocol.ts'

/** A row's state before a commit: what an undo restores. */
export interface RowState {
  model: string
  id: string
  value: StoredRow | null
}

/** Same row and same groups (key order ignored). */
export function sameStoredRow(a: StoredRow | null, b: StoredRow | null): boolean {
  if (a === null || b === null) return a === b
  return jsonEqual(a.row, b.row) && jsonEqual([...a.groups].sort(), [...b.groups].sort())
}

/** `create` / `update` / `delete` from `from` to `to`, or null when nothing changes. */
export function diffOp(model: string, id: string, from: StoredRow | null, to: StoredRow | null): SourceOperation | null {
  if (sameStoredRow(from, to)) return null
  if (to === null) return { op: 'delete', model, id }
  return { op: from === null ? 'create' : 'update', model, id, row: to.row, groups: [...to.groups] }
}
