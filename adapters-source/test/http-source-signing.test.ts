/**
 * @module Data Source request signing: the Standard Webhooks test vector,
 * verification failures, rotation, `whsec_` secrets only (never a raw API
 * key), and the Python endpoint's verifier agreeing on the same vector. The
 * signing itself lives in `@tandem/webhooks/signing`; this is what the Data Source relies on.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { generateSecret, secretKey, sign, signedHeaders, verify, WebhookVerificationError } from '@tandem/webhooks/signing'

// The test vector published with the Standard Webhooks specification.
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}
const vectorHeaders = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature }

const failure = (fn: () => void) => {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookVerificationError)
    return (e as WebhookVerificationError).reason
  }
  return 'verified'
}

describe('Data Source signing', () => {
  // verify() checks the timestamp against the clock: stand at the vector's moment.
  const at = (seconds: number) => vi.setSystemTime(seconds * 1000)
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(vector.timestamp)
  })
  afterEach(() => void vi.useRealTimers())

  it('reproduces and verifies the Standard Webhooks test vector', () => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature)
    expect(failure(() => verify(vector.secret, vectorHeaders, vector.body))).toBe('verified')
    expect(failure(() => verify(vector.secret, new Headers(vectorHeaders), vector.body))).toBe('verified')
  })

  it('refuses missing headers, bad or old timestamps, other bodies and other secrets; accepts any matching signature of a list', () => {
    expect(failure(() => verify(vector.secret, { 'webhook-id': vector.id }, vector.body))).toBe('missing_headers')
    expect(failure(() => verify(vector.secret, { ...vectorHeaders, 'webhook-timestamp': '16142e5' }, vector.body))).toBe('invalid_timestamp')
    at(vector.timestamp + 301)
    expect(failure(() => verify(vector.secret, vectorHeaders, vector.body))).toBe('timestamp_out_of_range')
    at(vector.timestamp - 301)
    expect(failure(() => verify(vector.secret, vectorHeaders, vector.body))).toBe('timestamp_out_of_range')
    at(vector.timestamp)
    expect(failure(() => verify(vector.secret, vectorHeaders, '{"test": 2432232315}'))).toBe('invalid_signature')
    expect(failure(() => verify(generateSecret(), vectorHeaders, vector.body))).toBe('invalid_signature')
    const rotated = { ...vectorHeaders, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${vector.signature}` }
    expect(failure(() => verify(vector.secret, rotated, vector.body))).toBe('verified')
    const fresh = signedHeaders(vector.secret, 'body')
    expect(failure(() => verify(vector.secret, fresh, 'body'))).toBe('verified')
  })

  it('keys are the base64-decoded whsec_ secret; raw API keys and short secrets are refused', () => {
    expect(Buffer.from(secretKey(vector.secret)).toString('base64')).toBe('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(secretKey(generateSecret())).toHaveLength(32)
    expect(() => secretKey('sk_live_0123456789abcdef0123456789abcdef')).toThrow(/whsec_/)
    expect(() => secretKey('whsec_c2hvcnQ=')).toThrow(/16 bytes/)
  })

  it('the Python endpoint verifies the same vector and refuses a changed body', () => {
    const dir = resolve(import.meta.dirname, '../../examples/python')
    const check = (body: string) =>
      spawnSync(
        process.env['PYTHON'] ?? 'python3',
        [
          '-c',
          [
            'import sys, json; sys.path.insert(0, sys.argv[1]); import data_source as ds',
            'v = json.loads(sys.argv[2])',
            'ds.verify(ds.secret_key(v["secret"]), v["headers"], v["body"].encode(), 300, now=v["timestamp"])',
          ].join('\n'),
          dir,
          JSON.stringify({ ...vector, headers: vectorHeaders, body }),
        ],
        { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      )
    expect(check(vector.body).status).toBe(0)
    const changed = check('{"test": 1}')
    expect(changed.status).toBe(1)
    expect(changed.stderr).toContain('No webhook-signature matches')
  })
})
