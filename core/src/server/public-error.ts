/** @module What a client may see of an error, on both doors: typed errors as they are, anything else generic with a request id. */
import { TandemError, toTandemError } from '../errors/index.ts'
import { createId } from '../internal/ids.ts'

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
