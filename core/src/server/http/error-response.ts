/** @module An error as the HTTP envelope (`{ error: { type, code, message, … } }`), with `Retry-After` when the error says when. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { publicError } from '../public-error.ts'

/** `refused(code)` counts the refusal (metrics). */
export function errorResponse(c: Context, error: unknown, refused?: (code: string) => void): Response {
  const e = publicError(error, `${c.req.method} ${c.req.path}`)
  refused?.(e.code)
  const headers: Record<string, string> = {}
  const retryAfter = e.details?.['retryAfter']
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(Math.ceil(retryAfter))
  return c.json({ error: e.toJSON() }, e.status as ContentfulStatusCode, headers)
}
