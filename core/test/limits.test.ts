import { describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import WebSocket from 'ws'
import { defer, setup } from './helpers.ts'
import { schema } from './fixtures.ts'

describe('limits, CORS and origins', () => {
  it('rate limits one WebSocket of a session token per connection', async () => {
    const w = await setup({ limits: { rateLimit: { sessionPerSecond: 10_000, connectionPerSecond: 5 } } })
    const token = (await w.http('POST', '/v1/sessions', { userId: 'u', groups: ['org:default'] })).body.token as string
    const c = Tandem({ schema, baseURL: w.server.url, apiKey: token })
    defer(() => c.dispose())
    await c.ready()
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => c.tasks.retrieve({ id: `x${i}` })))
    const limited = results.filter((r) => r.status === 'rejected')
    expect(limited.length).toBeGreaterThanOrEqual(10)
    expect((limited[0] as PromiseRejectedResult).reason).toMatchObject({ type: 'TandemRateLimitError', code: 'rate_limited', details: { scope: 'connection' } })
  })

  it('refuses WebSocket upgrades from origins outside the allow-list', async () => {
    const w = await setup({ allowedOrigins: ['https://app.example'] })
    const url = `${w.server.url.replace('http', 'ws')}/v1/sync`
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, 'tandem.v1', { origin: 'https://evil.example' })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('error', () => undefined)
    })
    expect(refused).toBe(403)
    const allowed = new WebSocket(url, 'tandem.v1', { origin: 'https://app.example' })
    await new Promise((resolve, reject) => (allowed.once('open', resolve), allowed.once('error', reject)))
    allowed.close()
  })

  it('answers CORS preflights for allowed origins only', async () => {
    const open = await setup()
    const pre = await fetch(`${open.server.url}/v1/commits`, {
      method: 'OPTIONS',
      headers: { origin: 'https://any.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    const strict = await setup({ allowedOrigins: ['https://app.example'] })
    const ok = await fetch(`${strict.server.url}/v1/commits`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const no = await fetch(`${strict.server.url}/v1/commits`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(no.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a commit with more operations than maxOperationsPerCommit', async () => {
    const w = await setup({ limits: { maxOperationsPerCommit: 3 } })
    const operations = Array.from({ length: 4 }, (_, i) => ({ op: 'create', model: 'tasks', id: `t${i}`, data: { title: 'x' } }))
    const res = await w.http('POST', '/v1/commits', { operations })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'too_many_operations', param: 'operations' })
  })
})

describe('slow consumers', () => {
  it('a socket that stops reading is closed with 4008 slow_consumer instead of buffering without bound', async () => {
    // A long grace: however slowly this machine runs the commits below, the socket is still there to read its close.
    const w = await setup({ limits: { maxBufferedBytes: 64 * 1024, slowConsumerGraceMs: 120_000 } })
    const ws = new WebSocket(`${w.server.url.replace('http', 'ws')}/v1/sync`, 'tandem.v1')
    const frames: Array<{ type: string; error?: { code: string } }> = []
    ws.on('message', (d) => frames.push(JSON.parse(String(d))))
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    await new Promise((r) => ws.once('open', r))
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: w.server.secretKey, cursor: 0 }))
    await new Promise<void>((resolve) => ws.on('message', (d) => JSON.parse(String(d)).type === 'synced' && resolve()))
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    ws.pause()
    const big = 'x'.repeat(100_000)
    for (let i = 0; i < 200; i++) {
      await w.http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: big } }] })
    }
    // Reading again, the client finds the typed reason, then the close.
    ws.resume()
    expect(await closed).toBe(4008)
    expect(frames.find((f) => f.type === 'error')?.error?.code).toBe('slow_consumer')
    expect(frames.filter((f) => f.type === 'changes').length).toBeLessThan(200) // the server stopped sending to it
  })

  it('a slow consumer that will not read its close either is cut once the grace runs out', async () => {
    const w = await setup({ limits: { maxBufferedBytes: 64 * 1024, slowConsumerGraceMs: 50 } })
    const ws = new WebSocket(`${w.server.url.replace('http', 'ws')}/v1/sync`, 'tandem.v1')
    await new Promise((r) => ws.once('open', r))
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: w.server.secretKey, cursor: 0 }))
    await new Promise<void>((resolve) => ws.on('message', (d) => JSON.parse(String(d)).type === 'synced' && resolve()))
    ws.pause() // and never resumes: it reads neither the changes nor the close
    const big = 'x'.repeat(100_000)
    for (let i = 0; i < 400 && w.server.connections > 0; i++) {
      await w.http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: big } }] })
    }
    // Without the cut the server would wait for a close handshake that never comes, and keep the socket.
    expect(w.server.connections).toBe(0)
    ws.terminate()
  })
})
