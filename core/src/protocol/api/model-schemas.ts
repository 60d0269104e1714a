/** @module Per-model wire types as zod, built from the models' own zod objects: rows, create/update data, commit operations, changes. */
import { z } from 'zod'
import type { Schema } from '../../schema/model.ts'
import { operationSchema } from '../commit.ts'
import { changeSchema } from '../log.ts'

/** `tasks` → `Tasks`, `weatherReports` → `WeatherReports`: component and operation names. */
export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

/** Ids the server accepts (schema/validate.ts checks the same rule). */
export const rowIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/)

const systemShape = {
  id: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  syncId: z.number().int().nonnegative().describe('Log position of the row’s last change'),
}

interface ModelWire {
  row: z.ZodType
  create: z.ZodType
  update: z.ZodType
}

// One set per (schema, model), so a document built twice shares its component schemas.
const cache = new WeakMap<Schema, Map<string, ModelWire>>()

/** The zod schemas of one model on the wire: its row, and the `data` of a create and of an update. */
export function modelWire(schema: Schema, model: string): ModelWire {
  let bySchema = cache.get(schema)
  if (!bySchema) cache.set(schema, (bySchema = new Map()))
  let wire = bySchema.get(model)
  if (!wire) {
    const object = schema.models[model]!.object
    // An update leaves out what it does not change: no field is required, and no default applies.
    const patch = Object.fromEntries(
      Object.entries(object.shape).map(([k, f]) => [k, (f instanceof z.ZodDefault ? (f.unwrap() as z.ZodType) : (f as z.ZodType)).optional()]),
    )
    wire = { row: object.extend(systemShape), create: object, update: z.strictObject(patch) }
    bySchema.set(model, wire)
  }
  return wire
}

const { readAt, onStale, claimToken } = operationSchema.shape

/** One commit operation, typed by model and op (a union on `model`, then on `op`). */
export function operationUnion(schema: Schema): z.ZodType {
  const byModel = schema.modelNames.map((name) => {
    const wire = modelWire(schema, name)
    const model = z.literal(name)
    const emptyCreateOk = wire.create.safeParse({}).success
    return z.discriminatedUnion('op', [
      z.strictObject({ op: z.literal('create'), model, id: rowIdSchema.optional(), data: emptyCreateOk ? wire.create.optional() : wire.create }),
      z.strictObject({ op: z.literal('update'), model, id: rowIdSchema, data: wire.update, readAt, onStale, claimToken }),
      z.strictObject({ op: z.literal('delete'), model, id: rowIdSchema, readAt, onStale, claimToken }),
    ])
  })
  return byModel.length === 1 ? byModel[0]! : z.discriminatedUnion('model', byModel as unknown as [z.ZodDiscriminatedUnion, ...z.ZodDiscriminatedUnion[]])
}

/** Any model's row (the answer of a commit: one per operation, null for a delete). */
export function anyRow(schema: Schema): z.ZodType {
  const rows = schema.modelNames.map((name) => modelWire(schema, name).row)
  return rows.length === 1 ? rows[0]! : z.union(rows)
}

/** A change in the log, typed by model: `data` is that model's row. */
export function changeUnion(schema: Schema): z.ZodType {
  const byModel = schema.modelNames.map((name) => changeSchema.extend({ model: z.literal(name), data: modelWire(schema, name).row.nullable() }))
  return byModel.length === 1 ? byModel[0]! : z.discriminatedUnion('model', byModel as unknown as [z.ZodObject, ...z.ZodObject[]])
}
