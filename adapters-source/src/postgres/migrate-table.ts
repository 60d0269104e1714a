/** @module Bring one model's Postgres table up to the schema: create it, or migrate it additively and refuse anything that could lose data. */
import { type FieldKind, modelDdl, type Schema, shapeKinds } from '@tandem/core/schema'
import type { SchemaChange } from '@tandem/core/server'
import { modelIndexNames, planAdditiveMigration } from '@tandem/core/store-kit'
import type { TransactionSql } from 'postgres'
import { quoteIdent } from './sql-text.ts'

const pgTypes: Record<FieldKind['column'], string> = {
  text: 'text',
  integer: 'bigint',
  real: 'double precision',
  boolean: 'boolean',
  json: 'jsonb',
}
const systemColumns = new Set(['id', 'createdAt', 'updatedAt', 'syncId', '_groups'])

interface ColumnInfo {
  column_name: string
  data_type: string
  is_nullable: 'YES' | 'NO'
}
interface CheckInfo {
  name: string
  column: string
  def: string
}

const literal = (value: string | number) => `'${String(value).replaceAll("'", "''")}'`

/** The string literals of a `CHECK (x = ANY (ARRAY['a'::text, …]))` as Postgres prints it back. */
function checkLiterals(def: string): string[] {
  return [...def.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replaceAll("''", "'"))
}

const sameSet = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v) => b.includes(v))

/**
 * Create `model`'s table, or bring an existing one up to the schema inside
 * the caller's transaction (Postgres DDL is transactional: a refused
 * migration leaves nothing behind). Throws an Error naming model and field
 * for changes that could lose or reinterpret data. Resolves to what it changed.
 */
export async function migrateTable(sql: TransactionSql, schema: Schema, model: string): Promise<SchemaChange[]> {
  const columns = await sql.unsafe<ColumnInfo[]>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [model],
  )
  if (columns.length === 0) {
    for (const statement of modelDdl(schema, model, 'postgres')) await sql.unsafe(statement)
    return [{ change: 'added table', name: model }]
  }
  const table = quoteIdent(model)
  const kinds = shapeKinds(schema.models[model]!.shape)
  const [{ has_rows: hasRows }] = (await sql.unsafe(`SELECT EXISTS (SELECT 1 FROM ${table}) AS has_rows`)) as unknown as [{ has_rows: boolean }]
  const statements: string[] = []
  const changes: SchemaChange[] = []
  const changed = (column: string, detail: string) => changes.push({ change: 'changed column', name: `${model}.${column}`, detail })

  for (const col of columns) {
    const kind = kinds[col.column_name]
    const name = col.column_name
    if (!kind) {
      // A field left the schema: keep its data, but stop requiring it so new rows can be written.
      if (!systemColumns.has(name) && col.is_nullable === 'NO') {
        statements.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(name)} DROP NOT NULL`)
        changed(name, 'left the schema: kept, no longer required')
      }
      continue
    }
    const wanted = pgTypes[kind.column]
    if (col.data_type !== wanted) {
      throw new Error(
        `Cannot migrate "${model}.${name}": the column is ${col.data_type} but the schema now needs ${wanted}. ` +
          `Tandem applies only additive migrations; add a new field instead, or change the column by hand.`,
      )
    }
    const required = !kind.optional && !kind.nullable
    if (required && col.is_nullable === 'YES') {
      const [{ n }] = (await sql.unsafe(`SELECT COUNT(*)::int AS n FROM ${table} WHERE ${quoteIdent(name)} IS NULL`)) as unknown as [{ n: number }]
      if (n > 0) {
        throw new Error(
          `Cannot make "${model}.${name}" required: ${n} existing row(s) have no value. Keep it .optional()/.nullable(), or fill those rows first.`,
        )
      }
      statements.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(name)} SET NOT NULL`)
      changed(name, 'now required')
    } else if (!required && col.is_nullable === 'NO') {
      statements.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(name)} DROP NOT NULL`)
      changed(name, 'now optional')
    }
  }

  statements.push(
    ...planAdditiveMigration(
      schema,
      model,
      columns.map((c) => c.column_name),
      hasRows,
      'postgres',
    ),
  )
  for (const field of Object.keys(kinds)) if (!columns.some((c) => c.column_name === field)) changes.push({ change: 'added column', name: `${model}.${field}` })
  for (const statement of statements) await sql.unsafe(statement)
  for (const field of await syncEnumChecks(sql, model, kinds, new Set(columns.map((c) => c.column_name)))) changed(field, 'enum values')
  const indexesBefore = new Set(
    (await sql.unsafe<Array<{ indexname: string }>>(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`, [model])).map(
      (r) => r.indexname,
    ),
  )
  for (const statement of modelDdl(schema, model, 'postgres').slice(1)) await sql.unsafe(statement)
  for (const name of modelIndexNames(schema, model)) if (!indexesBefore.has(name)) changes.push({ change: 'added index', name })
  return changes
}

/** Enum fields stored as text carry a CHECK; widen or narrow it to the schema's values (narrowing only if every row still fits). Resolves to the fields whose CHECK changed. */
async function syncEnumChecks(sql: TransactionSql, model: string, kinds: Record<string, FieldKind>, existing: Set<string>): Promise<string[]> {
  const changedFields: string[] = []
  const table = quoteIdent(model)
  const checks = await sql.unsafe<CheckInfo[]>(
    `SELECT c.conname AS name, a.attname AS column, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.conrelid = to_regclass($1) AND c.contype = 'c' AND cardinality(c.conkey) = 1`,
    [table],
  )
  for (const [field, kind] of Object.entries(kinds)) {
    if (!existing.has(field) || kind.column !== 'text') continue
    const mine = checks.filter((c) => c.column === field)
    const wanted = kind.enumValues ?? null
    if (wanted === null ? mine.length === 0 : mine.length === 1 && sameSet(checkLiterals(mine[0]!.def), wanted)) continue
    changedFields.push(field)
    for (const c of mine) await sql.unsafe(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(c.name)}`)
    if (wanted === null) continue
    try {
      await sql.unsafe(`ALTER TABLE ${table} ADD CHECK (${quoteIdent(field)} IN (${wanted.map(literal).join(', ')}))`)
    } catch (error) {
      if ((error as { code?: string }).code !== '23514') throw error
      throw new Error(
        `Cannot change the values of enum "${model}.${field}" to ${JSON.stringify(wanted)}: existing rows hold other values. ` +
          `Keep the old values in the enum, or update those rows first.`,
        { cause: error },
      )
    }
  }
  return changedFields
}
