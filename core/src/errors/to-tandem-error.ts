/** @module Build the right class from a code or a wire object; normalise anything thrown. */
import { codeInfo, errorCodes, type TandemErrorCode } from './codes.ts'
import {
  TandemAuthError,
  TandemClaimedError,
  TandemConflictError,
  TandemConnectionError,
  TandemError,
  type TandemErrorInit,
  TandemNotFoundError,
  TandemRateLimitError,
  TandemStaleContextError,
  TandemValidationError,
} from './tandem-error.ts'

const classes = {
  TandemError,
  TandemValidationError,
  TandemStaleContextError,
  TandemClaimedError,
  TandemAuthError,
  TandemNotFoundError,
  TandemConflictError,
  TandemRateLimitError,
  TandemConnectionError,
} as const

/** Create the error whose class the code table names for `init.code`. */
export function createTandemError(init: TandemErrorInit): TandemError {
  const Class = classes[codeInfo(init.code).type]
  return new Class(init)
}

/** True for any TandemError, also one that crossed a realm (checked by `type`). */
export function isTandemError(value: unknown): value is TandemError {
  if (value instanceof TandemError) return true
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    (value as { type: string }).type.startsWith('Tandem') &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

/** Rebuild a TandemError from `{ type, code, message, param?, details? }` (the wire shape). */
export function errorFromWire(wire: unknown, status?: number): TandemError {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as Record<string, unknown>
  const code = typeof w['code'] === 'string' && w['code'] in errorCodes ? (w['code'] as TandemErrorCode) : 'internal_error'
  const init: TandemErrorInit = {
    code,
    message: typeof w['message'] === 'string' ? w['message'] : 'Unknown error',
  }
  if (typeof w['param'] === 'string') init.param = w['param']
  if (typeof w['details'] === 'object' && w['details'] !== null) init.details = w['details'] as Record<string, unknown>
  if (status !== undefined && code !== 'internal_error') init.status = status
  return createTandemError(init)
}

/** Normalise anything thrown into a TandemError (unknown failures become `internal_error`). */
export function toTandemError(value: unknown): TandemError {
  if (value instanceof TandemError) return value
  if (isTandemError(value)) return errorFromWire(value)
  const message = value instanceof Error ? value.message : String(value)
  return new TandemError({ code: 'internal_error', message, cause: value })
}
