/**
 * @module `@tandem/webhooks/signing`: Standard Webhooks signing and
 * verification on the `standardwebhooks` package, for senders and receivers.
 * Isomorphic: only Web APIs (`atob`, `btoa`, `crypto`), no `node:*`.
 *
 * Headers: `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
 * (a space-separated list while a secret is rolled). The secret is
 * `whsec_<base64>`; the HMAC key is the base64-decoded part, never the text.
 */
import { Webhook } from 'standardwebhooks'

export type SignedHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** Why a request failed verification. */
export type VerificationFailure = 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_range' | 'invalid_signature'

export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailure
  constructor(reason: VerificationFailure, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'WebhookVerificationError'
    this.reason = reason
  }
}

const prefix = 'whsec_'
const base64 = /^[A-Za-z0-9+/]+={0,2}$/
/** The Standard Webhooks replay window, in seconds (the `standardwebhooks` package enforces the same). */
export const timestampToleranceSeconds = 300

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in Standard Webhooks). */
export function secretKey(secret: string): Uint8Array {
  const encoded = secret.startsWith(prefix) ? secret.slice(prefix.length) : secret
  if (!base64.test(encoded) || encoded.length % 4 !== 0) throw new TypeError('A signing secret must be "whsec_" followed by base64')
  const key = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))
  if (key.length < 16) throw new TypeError(`A signing secret must hold at least 16 bytes (got ${key.length})`)
  return key
}

/**
 * A new random secret (Standard Webhooks asks for 24 to 64 bytes).
 * @example
 * const secret = generateSecret() // 'whsec_…': give the same value to the receiver
 */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64) throw new RangeError(`A signing secret holds 24 to 64 bytes (asked for ${bytes})`)
  const key = crypto.getRandomValues(new Uint8Array(bytes))
  return prefix + btoa(String.fromCharCode(...key))
}

const webhook = (secret: string) => new Webhook(secretKey(secret), { format: 'raw' })

/** `v1,<base64 signature>` of one message; `timestamp` in unix seconds. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  // The signed text is "id.timestamp.body": an id with a dot could shift the fields.
  if (!/^[^.\s]+$/.test(id)) throw new TypeError(`A webhook id must not be empty or hold dots or spaces (got "${id}")`)
  return webhook(secret).sign(id, new Date(timestamp * 1000), body)
}

/**
 * Headers for one signed POST. Retries of the same message keep its `id` and get a fresh timestamp.
 * Several secrets (while one is rolled) give one signature each, so a receiver holding either verifies.
 * @example
 * await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) } })
 */
export function signedHeaders(
  secrets: string | readonly string[],
  body: string,
  id: string = `msg_${crypto.randomUUID()}`,
  now: number = Date.now(),
): SignedHeaders {
  const timestamp = Math.floor(now / 1000)
  const signatures = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => sign(secret, id, timestamp, body))
  if (signatures.length === 0) throw new TypeError('signedHeaders needs at least one secret')
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') }
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Check the signature headers of a raw body (the exact bytes received, before
 * any JSON parsing); throws `WebhookVerificationError` when they do not hold.
 * A timestamp more than 5 minutes from now fails, against replays.
 * @example
 * verify(process.env.WEBHOOK_SECRET, request.headers, await request.text())
 */
export function verify(secret: string, headers: HeaderBag, body: string): void {
  const verifier = webhook(secret) // a malformed secret is the caller's bug: a TypeError, not a failed delivery
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signature = header(headers, 'webhook-signature')
  if (!id || !timestamp || !signature)
    throw new WebhookVerificationError('missing_headers', 'Missing webhook-id, webhook-timestamp or webhook-signature header')
  // The checks below only name the reason; `standardwebhooks` verifies the timestamp and the signature itself.
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp must be unix seconds')
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > timestampToleranceSeconds) {
    throw new WebhookVerificationError('timestamp_out_of_range', `webhook-timestamp is more than ${timestampToleranceSeconds} s away from now`)
  }
  try {
    verifier.verify(body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false })
  } catch (error) {
    throw new WebhookVerificationError('invalid_signature', 'No webhook-signature matches', { cause: error })
  }
}
