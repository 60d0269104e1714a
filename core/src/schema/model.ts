/** @module `model()` and `defineSchema()`: one zod schema for every actor. */
import { z } from 'zod'
import { unstorableType } from './field-kind.ts'

/** Context the server passes when it decides which sync groups a new row belongs to. */
export interface GroupContext {
  /** The writing session's groups (for a secret key: its project group). */
  sessionGroups: readonly string[]
  /** The session's default group, e.g. `org:acme`. */
  defaultGroup: string
}

export interface ModelOptions<Out = Record<string, unknown>> {
  /** Sync groups a row belongs to; default: the creating session's default (org) group. */
  groups?: (row: Out & { id: string }, context: GroupContext) => string[]
  /** Fields (or field tuples) to index in SQL stores. */
  indexes?: ReadonlyArray<string | readonly string[]>
}

export interface ModelDef<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly kind: 'model'
  readonly shape: Shape
  readonly object: z.ZodObject<Shape, z.core.$strict>
  readonly options: ModelOptions<z.output<z.ZodObject<Shape>>>
}

/** Fields every row carries besides its own. */
export const systemFields = ['id', 'createdAt', 'updatedAt', 'syncId'] as const

/**
 * Declare one model from a zod shape.
 * @example
 * const tasks = model({ title: z.string().min(1), done: z.boolean().default(false) })
 */
export function model<Shape extends z.ZodRawShape>(shape: Shape, options: ModelOptions<z.output<z.ZodObject<Shape>>> = {}): ModelDef<Shape> {
  for (const field of Object.keys(shape)) {
    if ((systemFields as readonly string[]).includes(field) || field.startsWith('_')) {
      throw new TypeError(`model(): field "${field}" is reserved`)
    }
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) {
      throw new TypeError(`model(): field "${field}" must be alphanumeric camelCase`)
    }
  }
  return { kind: 'model', shape, object: z.strictObject(shape), options }
}

export type ModelMap = Record<string, ModelDef<any>>

export interface Schema<Models extends ModelMap = ModelMap> {
  readonly kind: 'schema'
  readonly models: Models
  readonly modelNames: readonly string[]
}

/**
 * Group models into the schema every actor shares.
 * @example
 * export const schema = defineSchema({ tasks: model({ title: z.string() }) })
 */
export function defineSchema<Models extends ModelMap>(models: Models): Schema<Models> {
  for (const name of Object.keys(models)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) {
      throw new TypeError(`defineSchema(): model name "${name}" must start with a lowercase letter and be alphanumeric`)
    }
    if (models[name]?.kind !== 'model') throw new TypeError(`defineSchema(): "${name}" is not a model()`)
    for (const [field, type] of Object.entries(models[name].shape)) {
      const bad = unstorableType(type as z.ZodType)
      if (bad) throw new TypeError(`defineSchema(): ${name}.${field} uses z.${bad.type}(), which rows cannot carry as JSON: ${bad.advice}`)
    }
  }
  return { kind: 'schema', models, modelNames: Object.keys(models) }
}
