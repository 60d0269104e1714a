/** @module `list` for HTTP and WebSocket alike: validated query, keyset cursor, group filter. */
import { decodeCursor, encodeCursor } from '../../protocol/index.ts'
import { type ColumnType, fieldKind } from '../../schema/field-kind.ts'
import type { Schema } from '../../schema/model.ts'
import { normalizeQuery, type SortKey } from '../../schema/query.ts'
import type { AnyRow } from '../../schema/types.ts'
import type { Session } from '../identity/session.ts'
import type { z } from 'zod'
import { getModel } from '../../schema/validate.ts'
import type { ServerContext } from '../server-context.ts'

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

const systemColumns: Record<string, ColumnType> = { id: 'text', createdAt: 'text', updatedAt: 'text', syncId: 'integer' }

/** How each sort key is stored: what a cursor value for it must be. */
function sortColumns(schema: Schema, model: string, sort: readonly SortKey[]): ColumnType[] {
  const shape = getModel(schema, model).shape
  return sort.map(({ field: f }) => (Object.hasOwn(shape, f) ? fieldKind(shape[f] as z.ZodType).column : (systemColumns[f] ?? 'json')))
}

export async function listRows(ctx: Pick<ServerContext, 'schema' | 'store'>, session: Session, input: ListInput): Promise<ListPage> {
  const { store, schema } = ctx
  const { conditions, sort } = normalizeQuery(schema, input.model, input.where, input.orderBy)
  const limit = input.limit ?? defaultListLimit
  let after: Record<string, unknown> | undefined
  if (input.cursor) {
    const values = decodeCursor(input.cursor, sortColumns(schema, input.model, sort))
    after = Object.fromEntries(sort.map((s, i) => [s.field, values[i]]))
  }
  const rows = await store.listRows(input.model, { conditions, sort, limit: limit + 1, groups: session.groups, ...(after ? { after } : {}) })
  const hasMore = rows.length > limit
  const data = hasMore ? rows.slice(0, limit) : rows
  const last = data.at(-1)
  return { object: 'list', data, hasMore, nextCursor: hasMore && last ? encodeCursor(sort.map((s) => last[s.field] ?? null)) : null }
}
