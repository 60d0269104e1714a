/**
 * @module Standard Webhooks signing and verification, self-contained on
 * `node:crypto` so it can move to `@tandem/webhooks/signing` unchanged.
 *
 * Headers: `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
 * (a space-separated list is allowed, for secret rotation). The secret is
 * `whsec_<base64>`; the HMAC key is the base64-decoded part, never the text.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

export type SignedHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** Why a request failed verification. */
export type VerificationFailure = 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_range' | 'invalid_signature'

export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailure
  constructor(reason: VerificationFailure, message: string) {
    super(message)
    this.name = 'WebhookVerificationError'
    this.reason = reason
  }
}

const base64 = /^[A-Za-z0-9+/]+={0,2}$/

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in Standard Webhooks). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret
  if (!base64.test(encoded) || encoded.length % 4 !== 0) throw new TypeError('A signing secret must be "whsec_" followed by base64')
  const key = Buffer.from(encoded, 'base64')
  if (key.length < 16) throw new TypeError(`A signing secret must hold at least 16 bytes (got ${key.length})`)
  return key
}

/**
 * A new random secret.
 * @example
 * const secret = generateSecret() // 'whsec_…' — give the same value to the endpoint
 */
export function generateSecret(bytes = 32): string {
  return `whsec_${randomBytes(bytes).toString('base64')}`
}

/** `v1,<base64 signature>` of one message. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/**
 * Headers for one signed POST. Retries of the same message keep its `id` and get a fresh timestamp.
 * @example
 * await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) } })
 */
export function signedHeaders(secret: string, body: string, id: string = `msg_${randomUUID()}`, now: number = Date.now()): SignedHeaders {
  const timestamp = Math.floor(now / 1000)
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, id, timestamp, body) }
}

export interface VerifyOptions {
  /** Largest allowed distance between the timestamp and now, in seconds (default 300). */
  toleranceSeconds?: number
  now?: number
}

/** Check the signature headers of a raw body; throws `WebhookVerificationError` when they do not hold. */
export function verify(secret: string, headers: Headers | Record<string, string | string[] | undefined>, body: string, options: VerifyOptions = {}): void {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined
    const v = headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const id = get('webhook-id')
  const ts = get('webhook-timestamp')
  const signatures = get('webhook-signature')
  if (!id || !ts || !signatures) throw new WebhookVerificationError('missing_headers', 'Missing webhook-id, webhook-timestamp or webhook-signature header')
  if (!/^\d+$/.test(ts)) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp must be unix seconds')
  const timestamp = Number(ts)
  const tolerance = options.toleranceSeconds ?? 300
  if (Math.abs(Math.floor((options.now ?? Date.now()) / 1000) - timestamp) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_range', `webhook-timestamp is more than ${tolerance} s away from now`)
  }
  const expected = Buffer.from(sign(secret, id, timestamp, body))
  for (const candidate of signatures.split(' ')) {
    const given = Buffer.from(candidate)
    if (given.length === expected.length && timingSafeEqual(given, expected)) return
  }
  throw new WebhookVerificationError('invalid_signature', 'No webhook-signature matches')
}
