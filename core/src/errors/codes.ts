/** @module The one table of error codes: code → class, HTTP status, retryable. */

export const errorTypes = [
  'TandemError',
  'TandemValidationError',
  'TandemStaleContextError',
  'TandemClaimedError',
  'TandemAuthError',
  'TandemNotFoundError',
  'TandemConflictError',
  'TandemRateLimitError',
  'TandemConnectionError',
] as const
export type TandemErrorType = (typeof errorTypes)[number]

interface CodeInfo {
  readonly type: TandemErrorType
  readonly status: number
  readonly retryable: boolean
}

const entry = (type: TandemErrorType, status: number, retryable = false): CodeInfo => ({ type, status, retryable })

/** Every code the server or the client can produce. */
export const errorCodes = {
  invalid_data: entry('TandemValidationError', 400),
  invalid_request: entry('TandemValidationError', 400),
  invalid_json: entry('TandemValidationError', 400),
  unknown_model: entry('TandemValidationError', 400),
  unknown_field: entry('TandemValidationError', 400),
  payload_too_large: entry('TandemValidationError', 413),
  too_many_operations: entry('TandemValidationError', 400),
  stale_context: entry('TandemStaleContextError', 409),
  entity_claimed: entry('TandemClaimedError', 409, true),
  claim_lost: entry('TandemClaimedError', 409),
  grant_timeout: entry('TandemClaimedError', 408, true),
  queue_too_deep: entry('TandemClaimedError', 409, true),
  too_many_waiting_claims: entry('TandemClaimedError', 429, true),
  claim_conflict: entry('TandemClaimedError', 409, true),
  unauthenticated: entry('TandemAuthError', 401),
  forbidden: entry('TandemAuthError', 403),
  session_expired: entry('TandemAuthError', 401),
  not_found: entry('TandemNotFoundError', 404),
  idempotency_key_reused: entry('TandemConflictError', 409),
  already_exists: entry('TandemConflictError', 409),
  history_compacted: entry('TandemConflictError', 409),
  store_locked: entry('TandemConflictError', 409),
  rate_limited: entry('TandemRateLimitError', 429, true),
  offline: entry('TandemConnectionError', 503, true),
  timeout: entry('TandemConnectionError', 504, true),
  slow_consumer: entry('TandemConnectionError', 503, true),
  internal_error: entry('TandemError', 500, true),
  source_unavailable: entry('TandemError', 503, true),
  source_timeout: entry('TandemError', 504, true),
  source_invalid_response: entry('TandemError', 502, true),
  source_unauthorized: entry('TandemError', 502),
} as const satisfies Record<string, CodeInfo>

export type TandemErrorCode = keyof typeof errorCodes

export function codeInfo(code: string): CodeInfo {
  return (errorCodes as Record<string, CodeInfo>)[code] ?? errorCodes.internal_error
}
