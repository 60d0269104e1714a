/** @module JSON over HTTP with the error envelope turned back into typed errors. */
import { TandemConnectionError, errorFromWire } from '../errors/index.ts'

export interface HttpRequest {
  baseURL: string
  token: string
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH'
  path: string
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

export async function httpJson<T>(req: HttpRequest): Promise<T> {
  let res: Response
  try {
    res = await fetch(new URL(req.path, req.baseURL), {
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
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    throw new TandemConnectionError({ code: 'offline', message: `Bad response from server (HTTP ${res.status})` })
  }
  if (!res.ok) throw errorFromWire((body as { error?: unknown } | null)?.error, res.status)
  return body as T
}
