/**
 * @module The Data Source wire contract: the request bodies Tandem signs and
 * POSTs to the customer's endpoint, and zod schemas for what may come back.
 */
import type { Actor } from '@tandem/core'
import { z } from '@tandem/core/schema'
import type { AnyRow } from '@tandem/core/schema'
import type { ListQuery } from '@tandem/core/server'
import { rowSchema } from '@tandem/core/protocol'

/** One row change of a commit. `create`/`update` carry the whole row (system fields included) and its sync groups. */
export type SourceOperation =
  { op: 'create' | 'update'; model: string; id: string; row: AnyRow; groups: string[] } | { op: 'delete'; model: string; id: string }

/** Who the commit is for; informational (Tandem already authorized it). */
export interface SourceScope {
  actor: Actor | null
  /** The log position the commit will have in Tandem's change log. */
  syncId: number | null
  /** The writing client's transaction id. */
  txId: string | null
}

export type SourceCondition = { field: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in'; value: unknown }

/** A list query; see README.md for the exact semantics the endpoint must implement. */
export interface SourceQuery {
  /** Every condition must hold. */
  where: SourceCondition[]
  /** Sort keys in order; the last one is always `id`, so the order is total. */
  orderBy: Array<{ field: string; dir: 'asc' | 'desc' }>
  /** Keyset pagination: only rows strictly after this position (the `orderBy` fields' values). */
  after?: Record<string, unknown>
  limit: number
  /** Only rows sharing at least one of these sync groups; `null` = every row. */
  groups: string[] | null
}

export type SourceRequest =
  | { type: 'load'; model: string; id: string }
  | { type: 'list'; model: string; query: SourceQuery }
  | { type: 'commit'; clientTxId: string; operations: SourceOperation[]; scope: SourceScope; undoes?: string }

export type CommitRequest = Extract<SourceRequest, { type: 'commit' }>

/** Map the store's ListQuery to the wire query. */
export function toSourceQuery(query: ListQuery): SourceQuery {
  const out: SourceQuery = {
    where: query.conditions.map((c) => ({ field: c.field, op: c.op, value: c.value })),
    orderBy: query.sort.map((s) => ({ field: s.field, dir: s.dir })),
    limit: query.limit,
    groups: query.groups === null ? null : [...query.groups],
  }
  if (!out.orderBy.some((s) => s.field === 'id')) out.orderBy.push({ field: 'id', dir: out.orderBy[0]?.dir ?? 'asc' })
  const after = query.after
  if (after) out.after = Object.fromEntries(out.orderBy.map((s) => [s.field, after[s.field] ?? null]))
  return out
}

export const loadResponse = z.object({ row: rowSchema.nullable(), groups: z.array(z.string()).optional() })
export const listResponse = z.object({ rows: z.array(rowSchema) })
export const commitResponse = z.object({ rows: z.array(rowSchema.nullable()) })

/** The error envelope an endpoint answers with when it refuses a request (the API's own envelope). */
export { errorEnvelopeSchema as errorEnvelope } from '@tandem/core/protocol'
