/**
 * @module HTTP pieces of the soak: mint session tokens, read `/metrics`,
 * and park requests on the server (long-polls, waiting claims, waiting
 * reads) that the caller later abandons by aborting them.
 */
import { now, pause } from './stats.ts'

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

/** A session token for `userId` in `groups`, minted with the secret key. */
export async function mintToken(url: string, secretKey: string, userId: string, groups: string[]): Promise<string> {
  const res = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: json(secretKey), body: JSON.stringify({ userId, groups, ttl: 3600 }) })
  const body = (await res.json()) as { token?: string }
  if (!res.ok || !body.token) throw new Error(`bench: POST /v1/sessions answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`)
  return body.token
}

/** One gauge or counter from `GET /metrics`. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const m = text.match(new RegExp(`^${name} (\\d+(?:\\.\\d+)?)$`, 'm'))
  if (!m) throw new Error(`bench: /metrics has no ${name}`)
  return Number(m[1])
}

/** Poll `/metrics` until the server counts `count` open WebSocket connections. */
export async function untilConnections(url: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs
  for (;;) {
    const open = await metric(url, 'tandem_connections')
    if (open === count) return
    if (now() > deadline) throw new Error(`bench: the server still counts ${open} connections (want ${count}) after ${timeoutMs} ms`)
    await pause(50)
  }
}

/**
 * Start a request that the server holds open; it settles when the server
 * answers or `signal` aborts it. Any outcome is fine: only the server's
 * bookkeeping afterwards is measured.
 */
function park(url: string, init: RequestInit): Promise<void> {
  return fetch(url, init).then(
    (res) => res.body?.cancel(),
    () => undefined,
  )
}

/** `GET /v1/changes?after&wait`: a long-poll parked until a change or `waitSeconds`. */
export const parkChanges = (url: string, token: string, after: number, waitSeconds: number, signal: AbortSignal): Promise<void> =>
  park(`${url}/v1/changes?after=${after}&wait=${waitSeconds}`, { headers: json(token), signal })

/** `POST /v1/claims` on a row someone holds: waits in line (server side) until granted, timed out or aborted. */
export const parkClaim = (url: string, token: string, id: string, signal: AbortSignal, timeoutMs = 60_000): Promise<void> =>
  park(`${url}/v1/claims`, { method: 'POST', headers: json(token), body: JSON.stringify({ model: 'tasks', id, action: 'soak (http)', timeoutMs }), signal })

/** `GET /v1/models/tasks/:id?ifClaimed=wait`: a read waiting for the row's claim to end. */
export const parkRead = (url: string, token: string, id: string, signal: AbortSignal): Promise<void> =>
  park(`${url}/v1/models/tasks/${encodeURIComponent(id)}?ifClaimed=wait`, { headers: json(token), signal })

/** `POST /v1/claims` on a free row with a short lease, then leave it to expire (no heartbeat, no release). */
export async function claimAndLeave(url: string, token: string, id: string, ttlMs: number): Promise<void> {
  const res = await fetch(`${url}/v1/claims`, { method: 'POST', headers: json(token), body: JSON.stringify({ model: 'tasks', id, ttl: ttlMs, wait: false }) })
  await res.body?.cancel()
}

/** `POST /v1/claims` then `DELETE /v1/claims/:id`: a claim held and released over HTTP. */
export async function claimAndRelease(url: string, token: string, id: string): Promise<void> {
  const res = await fetch(`${url}/v1/claims`, { method: 'POST', headers: json(token), body: JSON.stringify({ model: 'tasks', id, wait: false }) })
  const body = (await res.json()) as { id?: string }
  if (!res.ok || !body.id) return
  await (await fetch(`${url}/v1/claims/${body.id}`, { method: 'DELETE', headers: json(token) })).body?.cancel()
}
