/** @module `where` / `orderBy` / keyset pagination compiled to SQL (shared by every SQL store). */
import { quoteIdent } from '../../schema/ddl.ts'
import type { Scalar } from '../../schema/query.ts'
import type { GroupFilter, ListQuery } from '../store.ts'
import type { Dialect } from './dialect.ts'
import type { RowCodec } from './row-codec.ts'

export interface CompiledQuery {
  sql: string
  params: unknown[]
}

/** The SELECT for a list query on `table`. */
export function compileList(table: string, query: ListQuery, codec: RowCodec, dialect: Dialect): CompiledQuery {
  const params: unknown[] = []
  const p = (field: string, value: unknown): string => {
    params.push(field === '_groups' ? value : codec.encodeValue(field, value))
    return dialect.param(params.length)
  }
  const col = (field: string) => quoteIdent(field) + (codec.kinds[field]?.column === 'text' || field === 'id' ? dialect.collate : '')
  const clauses: string[] = []
  const groups = groupClause(query.groups, dialect, (g) => p('_groups', g))
  if (groups) clauses.push(groups)
  for (const { field, op, value } of query.conditions) {
    const c = col(field)
    switch (op) {
      case 'eq':
        clauses.push(`${c} ${dialect.isSame} ${p(field, value)}`)
        break
      case 'ne':
        clauses.push(`${c} ${dialect.isNotSame} ${p(field, value)}`)
        break
      case 'in': {
        const values = value as Scalar[]
        const nonNull = values.filter((v) => v !== null)
        const parts: string[] = []
        if (nonNull.length) parts.push(`${c} IN (${nonNull.map((v) => p(field, v)).join(', ')})`)
        if (nonNull.length < values.length) parts.push(`${c} IS NULL`)
        clauses.push(parts.length ? `(${parts.join(' OR ')})` : 'FALSE')
        break
      }
      default: {
        const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op]
        clauses.push(`${c} ${sym} ${p(field, value)}`)
      }
    }
  }
  if (query.after) {
    const ors: string[] = []
    query.sort.forEach((key, i) => {
      const v = query.after![key.field] ?? null
      // Nothing sorts after null in descending order (nulls last): no branch, and no parameters for it.
      if (key.dir === 'desc' && v === null) return
      const ands = query.sort.slice(0, i).map((prev) => `${col(prev.field)} ${dialect.isSame} ${p(prev.field, query.after![prev.field] ?? null)}`)
      const c = col(key.field)
      if (key.dir === 'asc') ands.push(v === null ? `${c} IS NOT NULL` : `${c} > ${p(key.field, v)}`)
      else ands.push(`(${c} < ${p(key.field, v)} OR ${c} IS NULL)`)
      ors.push(`(${ands.join(' AND ')})`)
    })
    clauses.push(ors.length ? `(${ors.join(' OR ')})` : 'FALSE')
  }
  const where = clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''
  const order = query.sort.map((s) => `${col(s.field)} ${s.dir.toUpperCase()} ${dialect.nulls(s.dir)}`).join(', ')
  params.push(query.limit)
  return { sql: `SELECT * FROM ${quoteIdent(table)}${where} ORDER BY ${order} LIMIT ${dialect.param(params.length)}`, params }
}

/** SQL limiting rows to `groups`; null when every row is visible. */
export function groupClause(groups: GroupFilter, dialect: Dialect, param: (g: string) => string): string | null {
  if (groups === null) return null
  if (groups.length === 0) return 'FALSE'
  if (dialect.name === 'postgres') return dialect.groupsOverlap('"_groups"', [param(groups as unknown as string)])
  return dialect.groupsOverlap('"_groups"', groups.map(param))
}
