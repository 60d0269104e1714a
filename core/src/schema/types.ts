/** @module Row and input types inferred from a schema. */
import type { z } from 'zod'
import type { ModelDef, ModelMap, Schema } from './model.ts'

/** System fields present on every row. */
export interface SystemFields {
  id: string
  /** ISO timestamp of the create. */
  createdAt: string
  /** ISO timestamp of the last change. */
  updatedAt: string
  /** Log position of the row's last change. */
  syncId: number
}

type Shape<M> = M extends ModelDef<infer S> ? S : never
type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** A row of model `M` as readers see it. */
export type RowOf<M> = Simplify<z.output<z.ZodObject<Shape<M>>> & SystemFields>
/** What `create({ data })` takes (fields with defaults are optional). */
export type CreateInputOf<M> = Simplify<z.input<z.ZodObject<Shape<M>>>>
/** What `update({ data })` takes: any subset of the fields. */
export type UpdateInputOf<M> = Simplify<Partial<z.input<z.ZodObject<Shape<M>>>>>

export type ModelsOf<S> = S extends Schema<infer M> ? M : never
export type ModelNameOf<S> = keyof ModelsOf<S> & string

/** A plain, untyped row as stores and the wire carry it. */
export type AnyRow = SystemFields & Record<string, unknown>

export type RowsBySchema<M extends ModelMap> = { [K in keyof M]: Record<string, RowOf<M[K]>> }
