/** @module The query language of `where` / `orderBy`, checked against the schema and evaluated in JS. */
import type { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'
import type { Schema } from './model.ts'
import { getModel } from './validate.ts'
import { fieldKind } from './field-kind.ts'

export type Scalar = string | number | boolean | null
export interface WhereOps {
  eq?: Scalar
  ne?: Scalar
  gt?: string | number
  gte?: string | number
  lt?: string | number
  lte?: string | number
  in?: Scalar[]
}
/** `{ field: value }` equality, `{ field: [a, b] }` IN, or `{ field: { gt: 3 } }` operators. */
export type Where = Record<string, Scalar | Scalar[] | WhereOps>
export type SortDirection = 'asc' | 'desc'
export type OrderBy = Record<string, SortDirection> | Array<Record<string, SortDirection>>

export type Op = keyof WhereOps
export interface Condition {
  field: string
  op: Op
  value: Scalar | Scalar[]
}
export interface SortKey {
  field: string
  dir: SortDirection
}
export interface NormalizedQuery {
  conditions: Condition[]
  sort: SortKey[]
}

const opNames: readonly Op[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in']
const systemTypes: Record<string, 'string' | 'number'> = { id: 'string', createdAt: 'string', updatedAt: 'string', syncId: 'number' }

function invalid(field: string, message: string): TandemValidationError {
  return new TandemValidationError({ code: 'invalid_data', message, param: `where.${field}` })
}

function checkValue(model: string, field: string, schemaField: z.ZodType | undefined, value: unknown, ordered: boolean): void {
  if (ordered) {
    // Range bounds must have the column's type, so every store compares them the same way.
    const column = schemaField ? fieldKind(schemaField).column : systemTypes[field] === 'number' ? 'integer' : 'text'
    const ok =
      column === 'integer'
        ? Number.isInteger(value)
        : column === 'real'
          ? typeof value === 'number' && Number.isFinite(value)
          : column === 'text'
            ? typeof value === 'string'
            : false
    if (!ok)
      throw invalid(
        field,
        `where.${field}: a range bound must be ${column === 'integer' ? 'an integer' : column === 'real' ? 'a number' : column === 'text' ? 'a string' : 'comparable (this field is not)'}`,
      )
    return
  }
  if (schemaField) {
    if (value === null || ordered) return
    if (!schemaField.safeParse(value).success) throw invalid(field, `where.${field}: ${JSON.stringify(value)} is not a valid ${model}.${field}`)
    return
  }
  const t = systemTypes[field]
  if (value !== null && typeof value !== t) throw invalid(field, `where.${field} must be a ${t}`)
}

/** Check a `where`/`orderBy` against model fields and value types; return the normalized form. */
export function normalizeQuery(schema: Schema, model: string, where: unknown, orderBy: unknown): NormalizedQuery {
  const def = getModel(schema, model)
  const fieldOf = (field: string, param: string): z.ZodType | undefined => {
    if (Object.hasOwn(def.shape, field)) return def.shape[field] as z.ZodType
    if (Object.hasOwn(systemTypes, field)) return undefined
    throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "${field}" on model "${model}"`, param })
  }
  const conditions: Condition[] = []
  if (where !== undefined && where !== null) {
    if (typeof where !== 'object' || Array.isArray(where)) {
      throw new TandemValidationError({ code: 'invalid_data', message: '"where" must be an object', param: 'where' })
    }
    for (const [field, raw] of Object.entries(where)) {
      if (raw === undefined) continue
      const schemaField = fieldOf(field, `where.${field}`)
      if (Array.isArray(raw)) {
        for (const v of raw) checkValue(model, field, schemaField, v, false)
        conditions.push({ field, op: 'in', value: raw as Scalar[] })
      } else if (raw !== null && typeof raw === 'object') {
        for (const [op, v] of Object.entries(raw)) {
          if (!opNames.includes(op as Op)) throw invalid(field, `where.${field}: unknown operator "${op}" (use ${opNames.join(', ')})`)
          if (op === 'in') {
            if (!Array.isArray(v)) throw invalid(field, `where.${field}.in must be an array`)
            for (const item of v) checkValue(model, field, schemaField, item, false)
          } else checkValue(model, field, schemaField, v, op !== 'eq' && op !== 'ne')
          conditions.push({ field, op: op as Op, value: v as Scalar })
        }
      } else {
        checkValue(model, field, schemaField, raw, false)
        conditions.push({ field, op: 'eq', value: raw as Scalar })
      }
    }
  }
  const sort: SortKey[] = []
  if (orderBy !== undefined && orderBy !== null) {
    const list = Array.isArray(orderBy) ? orderBy : [orderBy]
    for (const item of list) {
      if (typeof item !== 'object' || item === null)
        throw new TandemValidationError({ code: 'invalid_data', message: '"orderBy" must be { field: "asc" | "desc" }', param: 'orderBy' })
      for (const [field, dir] of Object.entries(item)) {
        fieldOf(field, `orderBy.${field}`)
        if (dir !== 'asc' && dir !== 'desc')
          throw new TandemValidationError({ code: 'invalid_data', message: `orderBy.${field} must be "asc" or "desc"`, param: `orderBy.${field}` })
        sort.push({ field, dir })
      }
    }
  }
  if (!sort.some((s) => s.field === 'id')) sort.push({ field: 'id', dir: sort[0]?.dir ?? 'asc' })
  return { conditions, sort }
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null)
}

/** Does `row` satisfy every condition? */
export function matches(row: Record<string, unknown>, conditions: readonly Condition[]): boolean {
  for (const { field, op, value } of conditions) {
    const v = row[field]
    switch (op) {
      case 'eq':
        if (!same(v, value)) return false
        break
      case 'ne':
        if (same(v, value)) return false
        break
      case 'in':
        if (!(value as Scalar[]).some((x) => same(v, x))) return false
        break
      default: {
        if (v === null || v === undefined) return false
        const c = compareValues(v, value)
        if (op === 'gt' && !(c > 0)) return false
        if (op === 'gte' && !(c >= 0)) return false
        if (op === 'lt' && !(c < 0)) return false
        if (op === 'lte' && !(c <= 0)) return false
      }
    }
  }
  return true
}

/** Total order on stored values: null first, then numbers, strings (by code unit), others by JSON. */
export function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return an === bn ? 0 : an ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const sa = typeof a === 'string' ? a : JSON.stringify(a)
  const sb = typeof b === 'string' ? b : JSON.stringify(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}

/** A comparator for `sort`. */
export function rowComparator(sort: readonly SortKey[]): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  return (a, b) => {
    for (const { field, dir } of sort) {
      const c = compareValues(a[field], b[field])
      if (c !== 0) return dir === 'asc' ? c : -c
    }
    return 0
  }
}

/** Rows strictly after `after` in `sort` order (keyset pagination). */
export function isAfter(row: Record<string, unknown>, after: Record<string, unknown>, sort: readonly SortKey[]): boolean {
  return rowComparator(sort)(row, after) > 0
}
