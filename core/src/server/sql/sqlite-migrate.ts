/**
 * @module Bring a SQLite model table to the schema. Added fields are added
 * columns; anything else SQLite cannot ALTER (a field made optional or
 * removed, enum values added, a new default) rebuilds the table in one
 * transaction, keeping every row and every old column's data. Changes that
 * could lose or reinterpret data (a column's type, a required field without
 * default on a table with rows, a value the new schema refuses) are refused.
 */
import type { DatabaseSync } from 'node:sqlite'
import { modelDdl, quoteIdent, sqlLiteral } from '../../schema/ddl.ts'
import { type FieldKind, shapeKinds } from '../../schema/field-kind.ts'
import type { Schema } from '../../schema/model.ts'
import { planAdditiveMigration } from './migrate.ts'
import { modelIndexNames, type SchemaChange } from './schema-changes.ts'

interface Column {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
}

const system = new Set(['id', 'createdAt', 'updatedAt', 'syncId', '_groups'])
const sqliteType: Record<FieldKind['column'], string> = { text: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'INTEGER', json: 'TEXT' }

/** The enum values in a column's CHECK, as written in the stored CREATE TABLE. */
function storedCheck(tableSql: string, field: string): string | null {
  const q = quoteIdent(field).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return tableSql.match(new RegExp(`CHECK \\(${q} IN \\(([^)]*)\\)\\)`))?.[1]?.trim() ?? null
}

/** Resolves to what it changed (nothing when the table already matches). */
export function migrateSqliteTable(db: DatabaseSync, schema: Schema, model: string): SchemaChange[] {
  const table = quoteIdent(model)
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as unknown as Column[]
  const ddl = modelDdl(schema, model, 'sqlite')
  if (columns.length === 0) {
    for (const sql of ddl) db.exec(sql)
    return [{ change: 'added table', name: model }]
  }
  const indexesBefore = new Set(
    (db.prepare(`SELECT "name" FROM sqlite_master WHERE "type" = 'index' AND "tbl_name" = ?`).all(model) as Array<{ name: string }>).map((r) => r.name),
  )
  const kinds = shapeKinds(schema.models[model]!.shape)
  const hasRows = (db.prepare(`SELECT 1 AS x FROM ${table} LIMIT 1`).get() as { x: number } | undefined) !== undefined
  const tableSql = (db.prepare(`SELECT "sql" FROM sqlite_master WHERE "type" = 'table' AND "name" = ?`).get(model) as { sql: string }).sql
  let rebuild = false
  for (const [field, kind] of Object.entries(kinds)) {
    const col = columns.find((c) => c.name === field)
    if (!col) continue
    if (col.type.toUpperCase() !== sqliteType[kind.column]) {
      throw new Error(
        `Cannot change "${model}.${field}" from ${col.type} to ${sqliteType[kind.column]}: its stored values would be reinterpreted. Add a new field instead.`,
      )
    }
    const notnull = !kind.optional && !kind.nullable
    const dflt = kind.defaultValue === undefined ? null : sqlLiteral(kind.defaultValue, kind, 'sqlite')
    const check = kind.enumValues && kind.column === 'text' ? kind.enumValues.map((v) => sqlLiteral(v, kind, 'sqlite')).join(', ') : null
    if (Boolean(col.notnull) !== notnull || col.dflt_value !== dflt || storedCheck(tableSql, field) !== check) rebuild = true
  }
  const obsolete = columns.filter((c) => !system.has(c.name) && !Object.hasOwn(kinds, c.name))
  if (obsolete.some((c) => c.notnull || c.dflt_value !== null)) rebuild = true
  // Refuses a required field without default on a table with rows, whichever way we go.
  const additions = planAdditiveMigration(
    schema,
    model,
    columns.map((c) => c.name),
    hasRows,
    'sqlite',
  )
  const added: SchemaChange[] = Object.keys(kinds)
    .filter((field) => !columns.some((c) => c.name === field))
    .map((field) => ({ change: 'added column', name: `${model}.${field}` }))
  // A rebuild recreates every index: only the ones missing before count as added.
  const addedIndexes = (): SchemaChange[] =>
    modelIndexNames(schema, model)
      .filter((n) => !indexesBefore.has(n))
      .map((name) => ({ change: 'added index', name }))
  if (!rebuild) {
    for (const sql of additions) db.exec(sql)
    for (const sql of ddl.slice(1)) db.exec(sql)
    return [...added, ...addedIndexes()]
  }
  // Rebuild: the new definition plus the old columns the schema no longer names (kept, nullable).
  const temp = quoteIdent(`_tandem_rebuild_${model}`)
  const create = ddl[0]!.replace(/^CREATE TABLE IF NOT EXISTS "(?:[^"]|"")*"/, `CREATE TABLE ${temp}`)
  const keep = obsolete.map((c) => `${quoteIdent(c.name)} ${c.type}`)
  const createSql = keep.length ? create.replace(/\n\)$/, `,\n  ${keep.join(',\n  ')}\n)`) : create
  const copied = columns.map((c) => quoteIdent(c.name))
  db.exec('BEGIN IMMEDIATE')
  try {
    db.exec(`DROP TABLE IF EXISTS ${temp}`)
    db.exec(createSql)
    db.exec(`INSERT INTO ${temp} (${copied.join(', ')}) SELECT ${copied.join(', ')} FROM ${table}`)
    db.exec(`DROP TABLE ${table}`)
    db.exec(`ALTER TABLE ${temp} RENAME TO ${table}`)
    for (const sql of ddl.slice(1)) db.exec(sql)
    db.exec('COMMIT')
    return [{ change: 'rebuilt table', name: model, detail: 'optional, required, default or enum values changed' }, ...added, ...addedIndexes()]
  } catch (error) {
    db.exec('ROLLBACK')
    throw new Error(
      `Cannot migrate "${model}": ${(error as Error).message}. A stored row holds a value the new schema refuses (e.g. a removed enum value, or a field made required while some rows lack it).`,
      { cause: error },
    )
  }
}
