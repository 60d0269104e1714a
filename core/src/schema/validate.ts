/** @module Validation of writes against the schema, identical on client and server. */
import type { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'
import { findUnstorableText } from '../internal/storable-text.ts'
import type { ModelDef, Schema } from './model.ts'
import { systemFields } from './model.ts'
import { type FieldKind, shapeKinds } from './field-kind.ts'
import { paramPath } from './param-path.ts'

/**
 * Validators name the input at fault in `param`. `at` is where the data sits in the request
 * (`operations[2]` for a commit's third operation; empty for a verb's own `data`), so `param` reads `operations[2].title`.
 */

/** Look up a model or throw `unknown_model`. */
export function getModel(schema: Schema, name: string, at = ''): ModelDef {
  const def = Object.hasOwn(schema.models, name) ? schema.models[name] : undefined
  if (!def) {
    throw new TandemValidationError({
      code: 'unknown_model',
      message: `Unknown model "${name}". Known models: ${schema.modelNames.join(', ')}`,
      param: paramPath(at, 'model'),
    })
  }
  return def
}

function fromZodError(model: string, error: z.ZodError, at: string): TandemValidationError {
  const unknown = error.issues.find((i) => i.code === 'unrecognized_keys')
  if (unknown && unknown.code === 'unrecognized_keys') {
    const field = unknown.keys[0] ?? ''
    return new TandemValidationError({
      code: 'unknown_field',
      message: `Unknown field "${field}" on model "${model}"`,
      param: paramPath(at, field),
    })
  }
  const first = error.issues[0]
  const path = paramPath(...(first?.path ?? []))
  return new TandemValidationError({
    code: 'invalid_data',
    message: `Invalid ${model}${path ? `.${path}` : ''}: ${first?.message ?? 'invalid value'}`,
    param: paramPath(at, ...(first?.path ?? [])),
    details: { issues: error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })) },
  })
}

function assertPlainObject(model: string, data: unknown, at: string): asserts data is Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TandemValidationError({ code: 'invalid_data', message: `Data for "${model}" must be an object`, param: paramPath(at, 'data') })
  }
}

function rejectSystemFields(model: string, data: Record<string, unknown>, at: string): void {
  // JSON.parse makes "__proto__" an own key, which zod's object parsing skips silently: refuse it like any unknown field.
  if (Object.hasOwn(data, '__proto__')) {
    throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "__proto__" on model "${model}"`, param: paramPath(at, '__proto__') })
  }
  for (const key of systemFields) {
    if (key in data) {
      throw new TandemValidationError({
        code: 'unknown_field',
        message: `"${key}" is a system field of "${model}" and cannot be written`,
        param: paramPath(at, key),
      })
    }
  }
}

/**
 * Every store must keep what it accepted: a string (or key) with NUL or an
 * unpaired surrogate is refused here, on client and server alike, rather than
 * by Postgres at commit time.
 */
function rejectUnstorableText(model: string, data: Record<string, unknown>, at: string): void {
  const found = findUnstorableText(data)
  if (!found) return
  throw new TandemValidationError({
    code: 'invalid_data',
    message: `Invalid ${model}.${paramPath(...found.path)}: text ${found.reason}`,
    param: paramPath(at, ...found.path),
    details: { issues: [{ path: found.path.map(String), code: 'invalid_text', message: `text ${found.reason}` }] },
  })
}

/** Validate `create` data; returns the parsed data with defaults applied. */
export function validateCreate(schema: Schema, model: string, data: unknown, at = ''): Record<string, unknown> {
  const def = getModel(schema, model, at)
  assertPlainObject(model, data, at)
  rejectSystemFields(model, data, at)
  const result = def.object.safeParse(data)
  if (!result.success) throw fromZodError(model, result.error, at)
  // A nullable field that was not given is stored as null, so every store reads the same row back.
  const out = result.data as Record<string, unknown>
  rejectUnstorableText(model, out, at)
  for (const [field, kind] of Object.entries(kindsOf(def))) if (kind.nullable && out[field] === undefined) out[field] = null
  return out
}

const kindCache = new WeakMap<ModelDef, Record<string, FieldKind>>()
function kindsOf(def: ModelDef): Record<string, FieldKind> {
  let k = kindCache.get(def)
  if (!k) kindCache.set(def, (k = shapeKinds(def.shape)))
  return k
}

/** Validate a partial `update`; only given fields are checked, no defaults are filled in. */
export function validatePatch(schema: Schema, model: string, data: unknown, at = ''): Record<string, unknown> {
  const def = getModel(schema, model, at)
  assertPlainObject(model, data, at)
  rejectSystemFields(model, data, at)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue
    const field = Object.hasOwn(def.shape, key) ? (def.shape[key] as z.ZodType) : undefined
    if (!field) {
      throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "${key}" on model "${model}"`, param: paramPath(at, key) })
    }
    const result = field.safeParse(value)
    if (!result.success) {
      const issue = result.error.issues[0]
      throw new TandemValidationError({
        code: 'invalid_data',
        message: `Invalid ${model}.${key}: ${issue?.message ?? 'invalid value'}`,
        param: paramPath(at, key, ...(issue?.path ?? [])),
        details: { issues: result.error.issues.map((i) => ({ path: [key, ...i.path.map(String)], code: i.code, message: i.message })) },
      })
    }
    out[key] = result.data
  }
  rejectUnstorableText(model, out, at)
  return out
}

/** Validate a whole row (the merge of a row and a patch) against its model. */
export function validateRow(schema: Schema, model: string, row: Record<string, unknown>, at = ''): void {
  const def = getModel(schema, model, at)
  const data: Record<string, unknown> = {}
  for (const key of Object.keys(def.shape)) if (row[key] !== undefined) data[key] = row[key]
  const result = def.object.safeParse(data)
  if (!result.success) throw fromZodError(model, result.error, at)
}

/** Ids: 1–128 chars of letters, digits, `_`, `-`, `.`, `:`. */
export function validateId(id: unknown, param = 'id'): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) {
    throw new TandemValidationError({
      code: 'invalid_data',
      message: `"${param}" must be 1–128 characters of letters, digits, "_", "-", "." or ":"`,
      param,
    })
  }
  return id
}
