/** @module Errors → the HTTP envelope; zod failures → typed validation errors. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import { TandemError, TandemValidationError, toTandemError } from '../errors/index.ts'
import { createId } from '../internal/ids.ts'
import { paramPath } from '../schema/param-path.ts'

/**
 * What a client may see of `error`. Typed errors go out as they are; anything
 * else (a store driver's message, SQL text, a bug) becomes a generic
 * `internal_error` carrying a request id, and the detail goes to the server log
 * under that id.
 */
export function publicError(error: unknown, where?: string): TandemError {
  const e = toTandemError(error)
  if (e.code !== 'internal_error') return e
  const requestId = `req_${createId()}`
  console.error(`[tandem] internal error ${requestId}${where ? ` (${where})` : ''}:`, error)
  return new TandemError({
    code: 'internal_error',
    message: `Internal server error (request id ${requestId}: the details are in the server log)`,
    details: { requestId },
  })
}

export function errorResponse(c: Context, error: unknown): Response {
  const e = publicError(error, `${c.req.method} ${c.req.path}`)
  const headers: Record<string, string> = {}
  const retryAfter = e.details?.['retryAfter']
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(Math.ceil(retryAfter))
  return c.json({ error: e.toJSON() }, e.status as ContentfulStatusCode, headers)
}

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
