/** @module `list` for HTTP and WebSocket alike: validated query, keyset cursor, group filter. */
import { decodeCursor, encodeCursor } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import { normalizeQuery } from '../schema/query.ts'
import type { AnyRow } from '../schema/types.ts'
import type { Session } from './session.ts'
import type { Store } from './store.ts'

export interface ListInput {
  model: string
  where?: unknown
  orderBy?: unknown
  limit?: number
  cursor?: string
}

export interface ListPage {
  object: 'list'
  data: AnyRow[]
  hasMore: boolean
  nextCursor: string | null
}

export const defaultListLimit = 100

export async function listRows(store: Store, schema: Schema, session: Session, input: ListInput): Promise<ListPage> {
  const { conditions, sort } = normalizeQuery(schema, input.model, input.where, input.orderBy)
  const limit = input.limit ?? defaultListLimit
  let after: Record<string, unknown> | undefined
  if (input.cursor) {
    const values = decodeCursor(input.cursor, sort.length)
    after = Object.fromEntries(sort.map((s, i) => [s.field, values[i]]))
  }
  const rows = await store.listRows(input.model, { conditions, sort, limit: limit + 1, groups: session.groups, ...(after ? { after } : {}) })
  const hasMore = rows.length > limit
  const data = hasMore ? rows.slice(0, limit) : rows
  const last = data.at(-1)
  return { object: 'list', data, hasMore, nextCursor: hasMore && last ? encodeCursor(sort.map((s) => last[s.field] ?? null)) : null }
}
