/** @module Opaque list cursors: the sort-key values of the last row returned. */
import { TandemValidationError } from '../errors/index.ts'

export function encodeCursor(values: readonly unknown[]): string {
  const json = JSON.stringify(values)
  const bytes = new TextEncoder().encode(json)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const s = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    const values = JSON.parse(new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)))) as unknown
    if (Array.isArray(values) && values.length === length) return values
  } catch {
    // fall through to the typed error
  }
  throw new TandemValidationError({ code: 'invalid_request', message: 'Invalid list cursor (it belongs to another query?)', param: 'cursor' })
}
