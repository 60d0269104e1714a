/** @module Rows ⇄ typed SQL columns, from the schema (shared by every SQL store). */
import { type FieldKind, shapeKinds } from '../../schema/field-kind.ts'
import type { Schema } from '../../schema/model.ts'
import type { AnyRow } from '../../schema/types.ts'
import type { StoredRow } from '../store.ts'
import type { SqlDialect } from '../../schema/ddl.ts'

export interface RowCodec {
  /** Column names in the order `encode` returns values. */
  columns: string[]
  kinds: Record<string, FieldKind>
  encode(stored: StoredRow): unknown[]
  decodeRow(record: Record<string, unknown>): AnyRow
  decode(record: Record<string, unknown>): StoredRow
  /** Encode one value of `field` as a query parameter. */
  encodeValue(field: string, value: unknown): unknown
}

const system = ['id', 'createdAt', 'updatedAt', 'syncId'] as const

export function createRowCodec(schema: Schema, model: string, dialect: SqlDialect): RowCodec {
  const kinds = shapeKinds(schema.models[model]!.shape)
  const fields = Object.keys(kinds)
  const sqliteLike = dialect === 'sqlite'
  const encodeValue = (field: string, value: unknown): unknown => {
    if (value === undefined || value === null) return null
    const kind = kinds[field]
    if (!kind) return value
    switch (kind.column) {
      case 'boolean':
        return sqliteLike ? (value ? 1 : 0) : Boolean(value)
      case 'json':
        return sqliteLike ? JSON.stringify(value) : value
      default:
        return value
    }
  }
  const decodeRow = (record: Record<string, unknown>): AnyRow => {
    const row: AnyRow = {
      id: record['id'] as string,
      createdAt: record['createdAt'] as string,
      updatedAt: record['updatedAt'] as string,
      syncId: Number(record['syncId']),
    }
    for (const field of fields) {
      const kind = kinds[field]!
      const v = record[field]
      if (v === null || v === undefined) {
        if (kind.nullable) row[field] = null
        continue
      }
      if (kind.column === 'boolean') row[field] = sqliteLike ? v === 1 || v === 1n : Boolean(v)
      else if (kind.column === 'json') row[field] = sqliteLike && typeof v === 'string' ? JSON.parse(v) : v
      else if (kind.column === 'integer' || kind.column === 'real') row[field] = Number(v)
      else row[field] = v
    }
    return row
  }
  return {
    columns: [...system, '_groups', ...fields],
    kinds,
    encode({ row, groups }) {
      return [row.id, row.createdAt, row.updatedAt, row.syncId, sqliteLike ? JSON.stringify(groups) : groups, ...fields.map((f) => encodeValue(f, row[f]))]
    },
    decodeRow,
    decode(record) {
      const g = record['_groups']
      return { row: decodeRow(record), groups: (typeof g === 'string' ? JSON.parse(g) : (g ?? [])) as string[] }
    },
    encodeValue,
  }
}
