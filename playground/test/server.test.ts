/** The playground's routes without a browser: the session route's input checks, static files, the seeded board. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, memoryStore, type TandemServer } from '@tandem/core/server'
import { schema } from 'tandem/demo-schema'
import { buildIsFresh, ensurePlaygroundBuild, mountPlayground, type Playground } from '@tandem/playground/server'

const key = 'sk_test_playground_routes'
let server: TandemServer
let playground: Playground
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-playground-'))
  writeFileSync(join(dir, 'index.html'), '<p>board</p>')
  server = await createServer({ schema, store: memoryStore(), port: 0, secretKeys: [key] })
  playground = await mountPlayground(server, { schema, secretKey: key, dir })
})
afterAll(async () => {
  await playground.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const post = (path: string, body: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

describe('playground routes', () => {
  it('mints a human session token in the project group, never handing out the secret key', async () => {
    const res = await post('/playground/session', JSON.stringify({ name: 'Ada' }))
    expect(res.status).toBe(201)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ userId: 'playground:ada', groups: ['org:default'], participant: { kind: 'human', name: 'Ada' } })
    expect(String(body['token'])).toMatch(/^ek_/)
    expect(JSON.stringify(body)).not.toContain(key)
    // The token reads the seeded board.
    const rows = await fetch(`${server.url}/v1/models/tasks`, { headers: { authorization: `Bearer ${String(body['token'])}` } })
    expect(((await rows.json()) as { data: unknown[] }).data).toHaveLength(6)
  })

  it('refuses a session request without a name, or not JSON, with invalid_request', async () => {
    for (const body of ['{}', '{"name":""}', '{"name":"Ada","admin":true}', 'not json']) {
      const res = await post('/playground/session', body)
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request')
    }
  })

  it('serves the page at / and nothing outside its folder; /v1 is untouched', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe('<p>board</p>')
    expect((await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404)
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.url}/v1/models/tasks`)).status).toBe(401)
  })

  it('answers 503 with a hint at / when the page is not built', async () => {
    const other = await createServer({ schema, store: memoryStore(), port: 0, secretKeys: [key] })
    const empty = mkdtempSync(join(tmpdir(), 'tandem-playground-empty-'))
    const p = await mountPlayground(other, { schema, secretKey: key, dir: empty, seed: false })
    try {
      const res = await fetch(`${other.url}/`)
      expect(res.status).toBe(503)
      expect(await res.text()).toContain('npm start')
    } finally {
      await p.close()
      await other.close()
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('builds the page when stale, then finds it fresh; concurrent callers wait for one build', async () => {
    const built = await Promise.all([ensurePlaygroundBuild(), ensurePlaygroundBuild()])
    expect(built.filter(Boolean).length).toBeLessThanOrEqual(1)
    expect(buildIsFresh()).toBe(true)
    expect(await ensurePlaygroundBuild()).toBe(false)
  }, 120_000)
})
