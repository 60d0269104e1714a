/** @module The REST path of a `retrieve` or `list` request, from the same params the WebSocket carries. */
import type { ReadMethod } from './frames.ts'

const enc = encodeURIComponent

/** `GET /v1/models/:model/:id?ifClaimed&timeoutMs` or `GET /v1/models/:model?where&orderBy&limit&cursor`. */
export function readPath(method: ReadMethod, params: Record<string, unknown>): string {
  const qs = new URLSearchParams()
  const model = enc(String(params['model']))
  if (method === 'retrieve') {
    for (const k of ['ifClaimed', 'timeoutMs']) if (params[k] !== undefined) qs.set(k, String(params[k]))
    return `/v1/models/${model}/${enc(String(params['id']))}?${qs}`
  }
  for (const k of ['where', 'orderBy']) if (params[k] !== undefined) qs.set(k, JSON.stringify(params[k]))
  for (const k of ['limit', 'cursor']) if (params[k] !== undefined) qs.set(k, String(params[k]))
  return `/v1/models/${model}?${qs}`
}
