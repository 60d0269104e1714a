/**
 * @module JSON over HTTP, once for the client's read fallback and the long-poll transport: a bearer token, a JSON body,
 * and the answer as parsed JSON or, when refused, the error envelope as the server sent it.
 */
import { errorFromWire, TandemConnectionError, type TandemError } from '../errors/index.ts'
import { errorEnvelopeSchema, type WireError } from '../protocol/index.ts'

export interface JsonRequest {
  baseURL: string
  token: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'
  path: string
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  fetch?: typeof fetch
}

export type JsonAnswer = { ok: true; status: number; body: unknown } | { ok: false; status: number; error: WireError }

/** Network failures and answers that are not JSON throw `TandemConnectionError` (`offline`); a refusal is an answer. */
export async function fetchJson(req: JsonRequest): Promise<JsonAnswer> {
  let res: Response
  try {
    res = await (req.fetch ?? globalThis.fetch)(new URL(req.path, req.baseURL), {
      method: req.method,
      headers: {
        authorization: `Bearer ${req.token}`,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    })
  } catch (error) {
    throw new TandemConnectionError({ code: 'offline', message: `Cannot reach ${req.baseURL}: ${(error as Error).message}`, cause: error })
  }
  const text = await res.text().catch(() => '')
  let body: unknown
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    throw new TandemConnectionError({ code: 'offline', message: `Bad response from server (HTTP ${res.status}): not JSON` })
  }
  if (res.ok) return { ok: true, status: res.status, body }
  const envelope = errorEnvelopeSchema.safeParse(body)
  return {
    ok: false,
    status: res.status,
    error: envelope.success ? envelope.data.error : { type: 'TandemError', code: 'internal_error', message: `HTTP ${res.status}` },
  }
}

/** `fetchJson`, with a refusal thrown as the typed error it names. */
export async function fetchJsonOrThrow(req: JsonRequest): Promise<unknown> {
  const answer = await fetchJson(req)
  if (!answer.ok) throw errorFromWire(answer.error, answer.status) as TandemError
  return answer.body
}
