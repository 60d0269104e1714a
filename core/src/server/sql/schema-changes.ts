/** @module What a store's `open()` changed in the database, for `tandem schema push` to print ("added column cards.priority"). */
import type { Schema } from '../../schema/model.ts'

export interface SchemaChange {
  change: 'added table' | 'added column' | 'added index' | 'changed column' | 'rebuilt table'
  /** `cards`, `cards.priority`, or an index name. */
  name: string
  /** Why, for changes that are not additions: e.g. `now optional`, `enum values`. */
  detail?: string
}

/** One line per change: `added column cards.priority`, `changed column cards.status (enum values)`. */
export function describeSchemaChange(c: SchemaChange): string {
  return `${c.change} ${c.name}${c.detail ? ` (${c.detail})` : ''}`
}

/** The model's declared index names, as `modelDdl` creates them. */
export function modelIndexNames(schema: Schema, model: string): string[] {
  return (schema.models[model]!.options.indexes ?? []).map((index) => `${model}_${(typeof index === 'string' ? [index] : [...index]).join('_')}_idx`)
}
