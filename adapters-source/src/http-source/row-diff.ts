/** @module The operation that takes one row from the state the endpoint holds to the state Tandem wants. */
import type { StoredRow } from '@tandem/core/server'
import type { SourceOperation } from './protocol.ts'

/** A row's state before a commit: what an undo restores. */
export interface RowState {
  model: string
  id: string
  value: StoredRow | null
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = sortKeys(v)
  }
  return out
}

/** Same row and same groups (key order ignored). */
export function sameStoredRow(a: StoredRow | null, b: StoredRow | null): boolean {
  if (a === null || b === null) return a === b
  return JSON.stringify(sortKeys(a.row)) === JSON.stringify(sortKeys(b.row)) && JSON.stringify([...a.groups].sort()) === JSON.stringify([...b.groups].sort())
}

/** `create` / `update` / `delete` from `from` to `to`, or null when nothing changes. */
export function diffOp(model: string, id: string, from: StoredRow | null, to: StoredRow | null): SourceOperation | null {
  if (sameStoredRow(from, to)) return null
  if (to === null) return { op: 'delete', model, id }
  return { op: from === null ? 'create' : 'update', model, id, row: to.row, groups: [...to.groups] }
}
