/** @module Additive migrations: add columns for new fields; refuse anything that could lose data. */
import { columnDefinition, quoteIdent, type SqlDialect } from '../../schema/ddl.ts'
import { shapeKinds } from '../../schema/field-kind.ts'
import type { Schema } from '../../schema/model.ts'

/** ALTER statements that bring `existingColumns` up to the schema, or a thrown Error explaining why not. */
export function planAdditiveMigration(schema: Schema, model: string, existingColumns: readonly string[], hasRows: boolean, dialect: SqlDialect): string[] {
  const kinds = shapeKinds(schema.models[model]!.shape)
  const out: string[] = []
  for (const [field, kind] of Object.entries(kinds)) {
    if (existingColumns.includes(field)) continue
    const required = !kind.optional && !kind.nullable
    if (required && kind.defaultValue === undefined && hasRows) {
      throw new Error(
        `Cannot add required field "${model}.${field}" without a default: the table already has rows. ` + `Give it a .default(…) or make it .optional().`,
      )
    }
    out.push(`ALTER TABLE ${quoteIdent(model)} ADD COLUMN ${columnDefinition(field, kind, dialect)}`)
  }
  return out
}
