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

/** zod types JSON cannot carry as they are: refused in `defineSchema`, with what to use instead. */
const unsupported: Record<string, string> = {
  date: 'use z.iso.datetime() (an ISO 8601 string; compare and sort it as text)',
  bigint: 'use z.number().int() or a z.string() of digits',
  map: 'use z.record(z.string(), …)',
  set: 'use z.array(…)',
  symbol: 'symbols cannot be stored',
  function: 'functions cannot be stored',
  promise: 'promises cannot be stored',
  file: 'store a URL or an id as z.string()',
  nan: 'use z.number()',
  undefined: 'use .optional()',
  void: 'use .optional()',
}

type WalkDef = Def & { shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[] } & Record<string, unknown>

/** The first zod type in `field` (nested ones too) that rows cannot carry, with advice; null when every part is storable. */
export function unstorableType(field: z.ZodType): { type: string; advice: string } | null {
  const def = (field as unknown as { _zod: { def: WalkDef } })._zod.def
  const advice = unsupported[def.type]
  if (advice) return { type: def.type, advice }
  const children: unknown[] = [def.innerType, def.element, def.valueType, def.keyType, def.left, def.right, def.in, def.out, def.rest]
  if (def.shape) children.push(...Object.values(def.shape))
  if (Array.isArray(def.options)) children.push(...def.options)
  if (Array.isArray(def.items)) children.push(...(def.items as unknown[]))
  for (const child of children) {
    if (!child || typeof child !== 'object' || !('_zod' in child)) continue
    const found = unstorableType(child as z.ZodType)
    if (found) return found
  }
  return null
}
