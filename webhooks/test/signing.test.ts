/**
 * @module `@tandem/webhooks/signing` against the Standard Webhooks reference
 * vectors, and every way a delivery must fail: tampered body, wrong secret,
 * stale or future timestamp, missing headers; both secrets verify during a roll.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { generateSecret, secretKey, sign, signedHeaders, verify, WebhookVerificationError } from '@tandem/webhooks/signing'

// The vector of the Standard Webhooks reference libraries' tests ("sign function works"; spec v1.0.0).
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}
const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature }
// From the same tests ("multi sig payload is valid"): unknown versions and wrong v1 signatures beside the right one.
const decoys = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=']

const outcome = (fn: () => void): string => {
  try {
    fn()
    return 'verified'
  } catch (e) {
    if (!(e instanceof WebhookVerificationError)) throw e
    return e.reason
  }
}

describe('signing', () => {
  // verify() checks timestamps against the clock, as the spec asks: stand at the vector's moment.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(vector.timestamp * 1000)
  })
  afterEach(() => void vi.useRealTimers())

  it('reproduces and verifies the reference vector, with and without the whsec_ prefix, among decoy signatures', () => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature)
    expect(sign(vector.secret.slice('whsec_'.length), vector.id, vector.timestamp, vector.body)).toBe(vector.signature)
    expect(signedHeaders(vector.secret, vector.body, vector.id, vector.timestamp * 1000)).toEqual(headers)
    expect(outcome(() => verify(vector.secret, headers, vector.body))).toBe('verified')
    expect(outcome(() => verify(vector.secret, new Headers(headers), vector.body))).toBe('verified')
    const mixed = { ...headers, 'webhook-signature': [decoys[0], decoys[1], vector.signature, decoys[0]].join(' ') }
    expect(outcome(() => verify(vector.secret, mixed, vector.body))).toBe('verified')
    expect(outcome(() => verify(vector.secret, { ...headers, 'webhook-signature': decoys.join(' ') }, vector.body))).toBe('invalid_signature')
  })

  it('a tampered body, a wrong secret, a 6-minute-old or 6-minute-early timestamp and missing headers fail', () => {
    expect(outcome(() => verify(vector.secret, headers, '{"test": 2432232315}'))).toBe('invalid_signature')
    expect(outcome(() => verify(generateSecret(), headers, vector.body))).toBe('invalid_signature')
    vi.setSystemTime((vector.timestamp + 6 * 60) * 1000)
    expect(outcome(() => verify(vector.secret, headers, vector.body))).toBe('timestamp_out_of_range')
    vi.setSystemTime((vector.timestamp + 4 * 60) * 1000)
    expect(outcome(() => verify(vector.secret, headers, vector.body))).toBe('verified')
    vi.setSystemTime((vector.timestamp - 6 * 60) * 1000)
    expect(outcome(() => verify(vector.secret, headers, vector.body))).toBe('timestamp_out_of_range')
    vi.setSystemTime(vector.timestamp * 1000)
    // Re-signed at an old moment with the right secret: still refused (a replay).
    const old = signedHeaders(vector.secret, vector.body, vector.id, Date.now() - 6 * 60_000)
    expect(outcome(() => verify(vector.secret, old, vector.body))).toBe('timestamp_out_of_range')
    expect(outcome(() => verify(vector.secret, { 'webhook-id': vector.id }, vector.body))).toBe('missing_headers')
    expect(outcome(() => verify(vector.secret, { ...headers, 'webhook-timestamp': '16142e5' }, vector.body))).toBe('invalid_timestamp')
  })

  it('during a roll one message carries a signature per secret, and a receiver holding either verifies', () => {
    const before = generateSecret()
    const after = generateSecret()
    const rolled = signedHeaders([before, after], 'body')
    expect(rolled['webhook-signature'].split(' ')).toHaveLength(2)
    expect(outcome(() => verify(before, rolled, 'body'))).toBe('verified')
    expect(outcome(() => verify(after, rolled, 'body'))).toBe('verified')
    expect(outcome(() => verify(generateSecret(), rolled, 'body'))).toBe('invalid_signature')
  })

  it('secrets are whsec_ base64 of 24 to 64 random bytes; raw API keys, short secrets and dotted ids are refused', () => {
    expect(btoa(String.fromCharCode(...secretKey(vector.secret)))).toBe('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(secretKey(generateSecret())).toHaveLength(32)
    expect(secretKey(generateSecret(24))).toHaveLength(24)
    expect(generateSecret()).not.toBe(generateSecret())
    expect(() => generateSecret(8)).toThrow(RangeError)
    expect(() => secretKey('sk_live_0123456789abcdef0123456789abcdef')).toThrow(/whsec_/)
    expect(() => secretKey('whsec_c2hvcnQ=')).toThrow(/16 bytes/)
    expect(() => verify('not a secret', headers, vector.body)).toThrow(TypeError)
    expect(() => sign(vector.secret, 'msg.1', vector.timestamp, vector.body)).toThrow(/dots/)
  })
})
