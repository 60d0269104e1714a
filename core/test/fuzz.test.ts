/**
 * 10,000 malformed HTTP bodies and WebSocket frames (seeded: wrong types,
 * huge strings, deep nesting, invalid UTF-8, random bytes) against a real
 * server process: each gets a typed error, the server stays up, memory stays
 * bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { errorCodes } from '@tandem/core'
import { defer } from './helpers.ts'
import { spawnServer } from './spawn-server.ts'

const key = 'sk_test_fuzz'

/** Seeded generators of bad input, as raw bytes. */
function corpus(count: number, seed: number): Buffer[] {
  const text = (s: string) => Buffer.from(s, 'utf8')
  const json = (v: unknown) => text(JSON.stringify(v))
  const arbitraries: fc.Arbitrary<Buffer>[] = [
    fc.jsonValue().map(json),
    fc.anything().map((v) => text(fc.stringify(v))),
    fc.record({ operations: fc.anything() }).map(json),
    fc
      .record({ operations: fc.array(fc.record({ op: fc.string(), model: fc.oneof(fc.string(), fc.integer()), data: fc.anything() }), { maxLength: 3 }) })
      .map(json),
    fc.record({ operations: fc.constant([{ op: 'create', model: 'tasks', data: {} }]).chain((ops) => fc.constant(ops)), extra: fc.string() }).map(json),
    fc
      .record({ title: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())), points: fc.oneof(fc.string(), fc.double()) })
      .map((data) => json({ operations: [{ op: 'create', model: 'tasks', data }] })),
    fc.integer({ min: 10_000, max: 200_000 }).map((n) => json({ operations: [{ op: 'create', model: 'tasks', data: { title: 'x'.repeat(n) } }] })),
    fc.integer({ min: 65, max: 20_000 }).map((d) => text('['.repeat(d) + ']'.repeat(d))),
    fc.integer({ min: 65, max: 5_000 }).map((d) => text(`{"operations":[{"op":"create","model":"tasks","data":{"title":${'['.repeat(d)}${']'.repeat(d)}}}]}`)),
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.concat([text('{"operations":[{"op":"create","model":"tasks","data":{"title":"'), Buffer.from([0xff, 0xfe, 0xc3]), text('"}}]}')])),
  ]
  return fc.sample(fc.oneof(...arbitraries), { seed, numRuns: count })
}

async function memory(url: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${url}/metrics?gc=1`)).text()
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))![1])
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_used_bytes') }
}

it('10,000 malformed bodies and frames: typed errors, server up, memory bounded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-fuzz-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  const server = await spawnServer(
    ['--port', '0', '--database-url', `sqlite:${join(dir, 'db.sqlite')}`, '--schema', resolve(import.meta.dirname, 'fixtures.ts')],
    { TANDEM_SECRET_KEYS: key, NODE_OPTIONS: '--expose-gc' },
  )
  defer(() => server.kill())
  const before = await memory(server.url)
  const codes = new Set(Object.keys(errorCodes))

  // HTTP: 5,000 bodies, 50 at a time.
  const bodies = corpus(5000, 7)
  let ok = 0
  for (let i = 0; i < bodies.length; i += 50) {
    const answers = await Promise.all(
      bodies.slice(i, i + 50).map(async (body) => {
        const res = await fetch(`${server.url}/v1/commits`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: new Uint8Array(body),
        })
        return { status: res.status, body: (await res.json()) as any }
      }),
    )
    for (const a of answers) {
      if (a.status === 200) {
        expect(a.body.object).toBe('commit')
        ok++
        continue
      }
      expect(a.status).toBeGreaterThanOrEqual(400)
      expect(a.status).toBeLessThan(500)
      expect(a.body.error.type).toMatch(/^Tandem\w+Error$/)
      expect(codes.has(a.body.error.code)).toBe(true)
    }
  }
  expect(ok).toBeLessThan(1500) // most of it is garbage; long-but-valid titles are accepted

  // WebSocket: 5,000 frames on 5 sockets; each gets exactly one error, result or pong.
  const frames = corpus(5000, 11)
  for (let s = 0; s < 5; s++) {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/sync`, 'tandem.v1')
    const answers: any[] = []
    let waiter: (() => void) | undefined
    ws.binaryType = 'arraybuffer'
    ws.onmessage = (e) => {
      const f = JSON.parse(String(e.data))
      if (f.type === 'error' || f.type === 'result' || f.type === 'pong') answers.push(f)
      waiter?.()
    }
    await new Promise((r) => (ws.onopen = r))
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: key, cursor: 0 }))
    const mine = frames.slice(s * 1000, (s + 1) * 1000)
    mine.forEach((f, i) => (i % 7 === 0 ? ws.send(f) : ws.send(f.toString('utf8'))))
    while (answers.length < mine.length) await new Promise<void>((r) => (waiter = r))
    expect(answers).toHaveLength(mine.length)
    for (const a of answers) {
      if (a.type === 'pong' || (a.type === 'result' && a.ok)) continue
      expect(codes.has(a.error.code)).toBe(true)
    }
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
  }

  const health = await fetch(`${server.url}/healthz`)
  expect(health.status).toBe(200)
  // Live heap back near where it started (nothing retained per bad request); the process stays well below 1 GiB.
  const after = await memory(server.url)
  expect(after.heap - before.heap).toBeLessThan(64 * 1024 * 1024)
  expect(after.rss).toBeLessThan(1024 * 1024 * 1024)
}, 180_000)
