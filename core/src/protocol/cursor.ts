/** @module Opaque list cursors: the sort-key values of the last row returned. */
import { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'
import { findUnstorableText } from '../internal/storable-text.ts'
import type { ColumnType } from '../schema/field-kind.ts'

export function encodeCursor(values: readonly unknown[]): string {
  const json = JSON.stringify(values)
  const bytes = new TextEncoder().encode(json)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

const storable = (v: unknown) => findUnstorableText(v) === null
const text = z.string().refine(storable, 'text the stores cannot compare')

/** What a cursor may hold for a sort key stored as `column` (null: the row had no value). */
const cursorValueSchemas: Record<ColumnType, z.ZodType> = {
  text: text.nullable(),
  integer: z.number().int().nullable(),
  real: z.number().nullable(),
  boolean: z.boolean().nullable(),
  // A JSON column sorts by its encoded text: any JSON value is a fair bound.
  json: z.json().refine(storable, 'text the stores cannot compare'),
}

/**
 * The sort-key values inside `cursor`, checked against the columns of the
 * sort keys (a cursor is opaque to clients, so a forged one is refused here,
 * never handed to a store).
 */
export function decodeCursor(cursor: string, columns: readonly ColumnType[]): unknown[] {
  let values: unknown
  try {
    const s = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    values = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(s, (c) => c.charCodeAt(0))))
  } catch {
    values = undefined
  }
  const schema = z.tuple(columns.map((c) => cursorValueSchemas[c]) as [z.ZodType, ...z.ZodType[]])
  const parsed = schema.safeParse(values)
  if (parsed.success) return parsed.data
  throw new TandemValidationError({ code: 'invalid_request', message: 'Invalid list cursor (it belongs to another query?)', param: 'cursor' })
}
