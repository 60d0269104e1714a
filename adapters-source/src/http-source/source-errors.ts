/**
 * @module Typed errors for a Data Source that cannot be reached, is too slow,
 * answers garbage or refuses Tandem's signature.
 *
 * They are plain `TandemError`s (codes `source_unavailable` 503,
 * `source_timeout` 504, `source_invalid_response` 502, `source_unauthorized`
 * 502), not `TandemConnectionError`s: a client treats a connection error as
 * its own link being down and keeps the write queued, whereas a failed Data
 * Source must roll the optimistic write back. The reason is also in
 * `details.dataSource.reason`.
 */
import { errorFromWire, TandemConnectionError, TandemError } from '@tandem/core'
import type { z } from '@tandem/core/schema'
import type { errorEnvelope } from './protocol.ts'

export type DataSourceFailure = 'unreachable' | 'timeout' | 'invalid_response' | 'unauthorized'

const codeOf = {
  unreachable: 'source_unavailable',
  timeout: 'source_timeout',
  invalid_response: 'source_invalid_response',
  unauthorized: 'source_unauthorized',
} as const

export interface DataSourceErrorInfo {
  attempts: number
  /** The endpoint's HTTP status, when it answered. */
  status?: number
  clientTxId?: string
  cause?: unknown
}

/** A Data Source failure as a TandemError (message without the endpoint's address: it reaches clients). */
export function dataSourceError(reason: DataSourceFailure, message: string, info: DataSourceErrorInfo): TandemError {
  const details: Record<string, unknown> = { reason, attempts: info.attempts }
  if (info.status !== undefined) details['status'] = info.status
  if (info.clientTxId !== undefined) details['clientTxId'] = info.clientTxId
  return new TandemError({ code: codeOf[reason], message: `Data Source: ${message}`, details: { dataSource: details }, cause: info.cause })
}

/** The failure reason of an error made by `dataSourceError`, else null. */
export function dataSourceFailure(error: unknown): DataSourceFailure | null {
  if (!(error instanceof TandemError)) return null
  const info = error.details?.['dataSource'] as { reason?: DataSourceFailure } | undefined
  return info?.reason ?? null
}

/**
 * The endpoint's own refusal, passed through as the error it names. A 401 is
 * about Tandem's signature, not the user, and a connection code would keep the
 * client's write queued: both become `unauthorized` / `invalid_response`.
 */
export function refusalError(envelope: z.infer<typeof errorEnvelope>, status: number, attempts: number): TandemError {
  if (status === 401)
    return dataSourceError('unauthorized', `the endpoint refused Tandem's signature (${envelope.error.code}: ${envelope.error.message})`, { attempts, status })
  const error = errorFromWire(envelope.error, status)
  if (error instanceof TandemConnectionError)
    return dataSourceError('invalid_response', `the endpoint answered ${status} ${envelope.error.code}: ${envelope.error.message}`, { attempts, status })
  return error
}
