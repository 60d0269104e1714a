/**
 * @module One signed POST to the Data Source, with a timeout per attempt and
 * retries of the very same message (same `webhook-id`, same body, so a
 * commit keeps its `clientTxId`). Answers are parsed with zod.
 */
import { randomUUID } from 'node:crypto'
import type { TandemError } from '@tandem/core'
import type { z } from '@tandem/core/schema'
import { signedHeaders } from '@tandem/webhooks/signing'
import { errorEnvelope, type SourceRequest } from './protocol.ts'
import { dataSourceError, refusalError } from './source-errors.ts'

export interface SourceClientOptions {
  url: string
  secret: string
  /** Per attempt, in ms. */
  timeoutMs: number
  /** Extra attempts after the first. */
  retries: number
}

/**
 * `maybeApplied` is false only when the endpoint certainly did not apply the
 * request: every attempt failed to connect, or the last answer was a refusal
 * in the error envelope and no earlier attempt went unanswered.
 */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: TandemError; maybeApplied: boolean }

export interface SourceClient {
  call<T>(request: SourceRequest, schema: z.ZodType<T>): Promise<CallResult<T>>
}

// Errors raised before a single byte reached the endpoint.
const notConnected = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

const errorCode = (error: unknown): string | undefined => {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createSourceClient(options: SourceClientOptions): SourceClient {
  return {
    async call<T>(request: SourceRequest, schema: z.ZodType<T>): Promise<CallResult<T>> {
      const body = JSON.stringify(request)
      const id = `msg_${randomUUID()}`
      const attempts = options.retries + 1
      const clientTxId = request.type === 'commit' ? request.clientTxId : undefined
      let maybeApplied = false
      let last: TandemError | undefined
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) await pause(Math.min(1000, 25 * 2 ** attempt))
        const info = { attempts: attempt, ...(clientTxId ? { clientTxId } : {}) }
        let status: number
        let text: string
        try {
          const signal = AbortSignal.timeout(options.timeoutMs)
          const res = await fetch(options.url, {
            method: 'POST',
            body,
            signal,
            headers: { 'content-type': 'application/json', ...signedHeaders(options.secret, body, id) },
          })
          status = res.status
          text = await res.text()
        } catch (cause) {
          const timedOut = cause instanceof DOMException && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
          if (timedOut) last = dataSourceError('timeout', `no answer within ${options.timeoutMs} ms`, { ...info, cause })
          else last = dataSourceError('unreachable', 'the endpoint cannot be reached', { ...info, cause })
          if (timedOut || !notConnected.has(errorCode(cause) ?? '')) maybeApplied = true
          continue
        }
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch (cause) {
          maybeApplied = true
          last = dataSourceError('invalid_response', `HTTP ${status} with a body that is not JSON`, { ...info, status, cause })
          if (status >= 500) continue
          return { ok: false, error: last, maybeApplied }
        }
        if (status >= 200 && status < 300) {
          const parsed = schema.safeParse(json)
          if (parsed.success) return { ok: true, value: parsed.data }
          const issue = parsed.error.issues[0]
          const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
          return {
            ok: false,
            error: dataSourceError('invalid_response', `the answer to "${request.type}" has the wrong shape${where}: ${issue?.message ?? ''}`, {
              ...info,
              status,
            }),
            maybeApplied: true,
          }
        }
        const envelope = errorEnvelope.safeParse(json)
        if (!envelope.success) {
          maybeApplied = true
          last = dataSourceError('invalid_response', `HTTP ${status} without the error envelope`, { ...info, status })
          if (status >= 500) continue
          return { ok: false, error: last, maybeApplied }
        }
        // An error in the envelope means the endpoint applied nothing; a 5xx or 429 is worth another try.
        last = refusalError(envelope.data, status, attempt)
        if (status >= 500 || status === 429) continue
        return { ok: false, error: last, maybeApplied }
      }
      return { ok: false, error: last!, maybeApplied }
    },
  }
}
