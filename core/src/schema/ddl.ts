/** @module SQL DDL for the model tables, for SQLite and Postgres. */
import type { Schema } from './model.ts'
import { type ColumnType, type FieldKind, shapeKinds } from './field-kind.ts'

export type SqlDialect = 'sqlite' | 'postgres'

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

const columnTypes: Record<SqlDialect, Record<ColumnType, string>> = {
  sqlite: { text: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'INTEGER', json: 'TEXT' },
  postgres: { text: 'TEXT', integer: 'BIGINT', real: 'DOUBLE PRECISION', boolean: 'BOOLEAN', json: 'JSONB' },
}

export function sqlLiteral(value: unknown, kind: FieldKind, dialect: SqlDialect): string {
  if (kind.column === 'boolean') return dialect === 'sqlite' ? (value ? '1' : '0') : value ? 'TRUE' : 'FALSE'
  if (kind.column === 'integer' || kind.column === 'real') return String(Number(value))
  const text = kind.column === 'json' ? JSON.stringify(value) : String(value)
  return `'${text.replaceAll("'", "''")}'`
}

/** The column definition of one field (also used by additive migrations). */
export function columnDefinition(name: string, kind: FieldKind, dialect: SqlDialect): string {
  let sql = `${quoteIdent(name)} ${columnTypes[dialect][kind.column]}`
  const required = !kind.optional && !kind.nullable
  if (kind.defaultValue !== undefined) sql += ` DEFAULT ${sqlLiteral(kind.defaultValue, kind, dialect)}`
  if (required) sql += ' NOT NULL'
  if (kind.enumValues && kind.column === 'text') {
    sql += ` CHECK (${quoteIdent(name)} IN (${kind.enumValues.map((v) => sqlLiteral(v, kind, dialect)).join(', ')}))`
  }
  return sql
}

/** `CREATE TABLE` (and index) statements for one model. */
export function modelDdl(schema: Schema, modelName: string, dialect: SqlDialect): string[] {
  const def = schema.models[modelName]!
  const kinds = shapeKinds(def.shape)
  const big = dialect === 'postgres' ? 'BIGINT' : 'INTEGER'
  const groups = dialect === 'postgres' ? `JSONB NOT NULL DEFAULT '[]'` : `TEXT NOT NULL DEFAULT '[]'`
  const columns = [
    `"id" TEXT PRIMARY KEY`,
    `"createdAt" TEXT NOT NULL`,
    `"updatedAt" TEXT NOT NULL`,
    `"syncId" ${big} NOT NULL`,
    `"_groups" ${groups}`,
    ...Object.entries(kinds).map(([name, kind]) => columnDefinition(name, kind, dialect)),
  ]
  const table = quoteIdent(modelName)
  const out = [`CREATE TABLE IF NOT EXISTS ${table} (\n  ${columns.join(',\n  ')}\n)`]
  for (const index of def.options.indexes ?? []) {
    const fields = typeof index === 'string' ? [index] : [...index]
    const name = quoteIdent(`${modelName}_${fields.join('_')}_idx`)
    out.push(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${fields.map(quoteIdent).join(', ')})`)
  }
  return out
}

/** DDL for every model of the schema. */
export function schemaDdl(schema: Schema, dialect: SqlDialect): string[] {
  return schema.modelNames.flatMap((name) => modelDdl(schema, name, dialect))
}
