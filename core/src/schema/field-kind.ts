/** @module What a zod field stores as: the bridge from zod to SQL columns and query checks. */
import type { z } from 'zod'

export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'json'

export interface FieldKind {
  column: ColumnType
  /** May be absent (undefined) in a row. */
  optional: boolean
  /** May be null in a row. */
  nullable: boolean
  enumValues?: readonly (string | number)[]
  /** The value zod fills in when the field is missing (for additive migrations). */
  defaultValue?: unknown
}

type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; entries?: Record<string, string | number>; values?: unknown[] }

/** Describe one field of a model by unwrapping optional/nullable/default. */
export function fieldKind(field: z.ZodType): FieldKind {
  let current = field as z.ZodType & { format?: string; _zod: { def: Def } }
  let nullable = false
  let optional = false
  let defaultValue: unknown
  for (;;) {
    const def = current._zod.def
    if (def.type === 'optional' || def.type === 'nullable') {
      if (def.type === 'optional') optional = true
      else nullable = true
      current = def.innerType as typeof current
    } else if (def.type === 'default' || def.type === 'prefault') {
      const d = def.defaultValue
      defaultValue = typeof d === 'function' ? (d as () => unknown)() : d
      current = def.innerType as typeof current
    } else if (def.type === 'readonly' || def.type === 'catch') {
      current = def.innerType as typeof current
    } else break
  }
  const def = current._zod.def
  const kind: FieldKind = { column: 'json', optional, nullable }
  if (defaultValue !== undefined) kind.defaultValue = defaultValue
  switch (def.type) {
    case 'string':
      kind.column = 'text'
      break
    case 'number':
      kind.column = current.format === 'safeint' || current.format === 'int32' ? 'integer' : 'real'
      break
    case 'boolean':
      kind.column = 'boolean'
      break
    case 'enum': {
      const values = Object.values(def.entries ?? {})
      kind.enumValues = values
      kind.column = values.every((v) => typeof v === 'string') ? 'text' : 'json'
      break
    }
    case 'literal': {
      const values = (def.values ?? []) as (string | number)[]
      kind.enumValues = values
      kind.column = values.every((v) => typeof v === 'string') ? 'text' : 'json'
      break
    }
  }
  return kind
}

/** The field kinds of every field of a zod shape. */
export function shapeKinds(shape: z.ZodRawShape): Record<string, FieldKind> {
  const out: Record<string, FieldKind> = {}
  for (const [name, field] of Object.entries(shape)) out[name] = fieldKind(field as z.ZodType)
  return out
}
