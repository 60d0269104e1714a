/** @module Untrusted input on both doors (and in plugins): JSON text with a depth limit, then a zod schema, failing as typed validation errors. */
import type { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'
import { paramPath } from '../schema/param-path.ts'

/** Parse `value` with `schema` or throw `invalid_request` naming the first bad path. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = paramPath(...(issue?.path ?? []))
  throw new TandemValidationError({
    code: 'invalid_request',
    message: `Invalid ${what}${path ? ` at "${path}"` : ''}: ${issue?.message ?? 'invalid'}`,
    ...(path ? { param: path } : {}),
    details: { issues: result.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })) },
  })
}

/** Deepest JSON nesting accepted: deeper input is refused before parsing (recursion elsewhere stays safe). */
export const maxJsonDepth = 64

function tooDeep(text: string): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped char
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > maxJsonDepth) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

/** Parse a JSON text or throw `invalid_json`. */
export function parseJson(text: string, param?: string): unknown {
  if (tooDeep(text)) {
    throw new TandemValidationError({ code: 'invalid_json', message: `JSON nested deeper than ${maxJsonDepth} levels`, ...(param ? { param } : {}) })
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new TandemValidationError({ code: 'invalid_json', message: `Malformed JSON${param ? ` in "${param}"` : ''}`, ...(param ? { param } : {}) })
  }
}
