/**
 * @module Findings of an outside probe (issue 22), on every store: a row moved
 * into a group reads to it as a create; text no store can keep, forged list
 * cursors and unknown store failures get the same typed answer everywhere, with
 * no driver or SQL text in it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { defineSchema, model, z } from '@tandem/core/schema'
import { createServer, type Store, type TandemServer } from '@tandem/core/server'
import { openProtocolSocket } from '@tandem/core/testing'
import { memoryStore, postgresStore, sqliteStore } from '@tandem/sources'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './postgres-db.ts'

const schema = defineSchema({
  docs: model(
    { title: z.string(), team: z.string(), points: z.number().int().optional(), tags: z.array(z.string()).optional() },
    { groups: (row) => [`team:${row.team}`] },
  ),
})

const withPostgres = await postgresAvailable()
const dir = mkdtempSync(join(tmpdir(), 'tandem-hardening-'))
let pg: TestDatabase | undefined
beforeAll(async () => {
  if (withPostgres) pg = await createTestDatabase()
})
afterAll(async () => {
  await pg?.drop()
  rmSync(dir, { recursive: true, force: true })
})

interface StoreCase {
  name: string
  open(): Promise<Store>
  /** Break the store behind its back, so that its next read of `docs` fails inside the driver. */
  breakDocs(store: Store): Promise<void>
}

let n = 0
let users = 0
const cases: StoreCase[] = [
  {
    name: 'memory',
    open: async () => memoryStore(),
    breakDocs: async (store) => {
      store.listRows = () => Promise.reject(new Error('driver failure: SELECT * FROM "docs" WHERE secret'))
    },
  },
  {
    name: 'sqlite',
    open: async () => sqliteStore({ path: join(dir, `store-${++n}.db`) }),
    breakDocs: async () => {
      const raw = new DatabaseSync(join(dir, `store-${n}.db`))
      raw.exec('DROP TABLE "docs"')
      raw.close()
    },
  },
  ...(withPostgres
    ? [
        {
          name: 'postgres',
          open: async () => {
            await pg!.reset()
            return postgresStore({ url: pg!.url, max: 3 })
          },
          breakDocs: async () => void (await pg!.exec('DROP TABLE "docs"')),
        },
      ]
    : []),
]

const open: Array<TandemServer> = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

async function world(c: StoreCase) {
  const store = await c.open()
  const server = await createServer({ schema, store, port: 0, host: '127.0.0.1' })
  open.push(server)
  const http = async (method: string, path: string, body?: unknown, token = server.secretKey) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const mint = async (groups: string[]) => {
    const res = await http('POST', '/v1/sessions', { userId: `u${++users}`, groups })
    expect(res.status).toBe(201)
    return res.body.token as string
  }
  const commit = (operations: unknown[], token?: string) => http('POST', '/v1/commits', { operations }, token)
  return { server, store, http, mint, commit }
}

/** A raw protocol socket, after hello and bootstrap. */
async function socket(url: string, token: string) {
  const s = openProtocolSocket(url)
  await s.opened
  s.send({ type: 'hello', protocol: 1, token, cursor: null })
  await s.next((f) => f.type === 'synced')
  return { ws: s.ws, next: s.next, rpc: s.rpc, close: () => s.ws.close() }
}

describe.each(cases)('hardening ($name)', (c) => {
  it('a row moved into a group reads there as a create: nothing of its time in the other group leaks (changes, audit, socket)', async () => {
    const w = await world(c)
    const both = await w.mint(['team:a', 'team:b'])
    const onlyA = await w.mint(['team:a'])
    const onlyB = await w.mint(['team:b'])
    const a = await socket(w.server.url, onlyA)
    const b = await socket(w.server.url, onlyB)
    try {
      expect((await w.commit([{ op: 'create', model: 'docs', id: 'd1', data: { title: 'b-secret-draft', team: 'b', points: 1 } }], both)).status).toBe(200)
      expect((await w.commit([{ op: 'update', model: 'docs', id: 'd1', data: { title: 'b-secret-final' } }], both)).status).toBe(200)
      const moved = await w.commit([{ op: 'update', model: 'docs', id: 'd1', data: { title: 'public', team: 'a' } }], both)
      expect(moved.status).toBe(200)
      const row = moved.body.rows[0]

      const asCreate = { model: 'docs', id: 'd1', op: 'create', previous: null, data: row, groups: ['team:a'] }
      // Long-poll / catch-up read of the log.
      const changes = await w.http('GET', '/v1/changes?after=0', undefined, onlyA)
      expect(changes.body.data).toHaveLength(1)
      expect(changes.body.data[0].changes).toEqual([asCreate])
      // Audit trail.
      const audit = await w.http('GET', '/v1/audit?model=docs&id=d1', undefined, onlyA)
      expect(audit.body.data).toEqual([expect.objectContaining({ syncId: 3, op: 'create', previous: null, data: row })])
      // Live frame.
      const frame = await a.next((f) => f.type === 'changes')
      expect(frame.entries.map((e: any) => e.changes)).toEqual([[asCreate]])
      for (const seen of [changes.body, audit.body, frame]) {
        expect(JSON.stringify(seen)).not.toContain('b-secret')
        expect(JSON.stringify(seen)).not.toContain('team:b')
      }

      // The group it left reads the move as a delete (and keeps the history it could see).
      const left = { model: 'docs', id: 'd1', op: 'delete', data: null, previous: null, groups: ['team:b'] }
      expect((await w.http('GET', '/v1/changes?after=2', undefined, onlyB)).body.data[0].changes).toEqual([left])
      expect((await w.http('GET', '/v1/audit?model=docs&id=d1', undefined, onlyB)).body.data.map((e: any) => e.op)).toEqual(['create', 'update', 'delete'])
      const bEntries: any[] = []
      while (bEntries.at(-1)?.syncId !== 3) bEntries.push(...(await b.next((f) => f.type === 'changes')).entries)
      expect(bEntries.at(-1).changes).toEqual([left])
      // Whoever sees both groups sees the update as it was.
      const full = await w.http('GET', '/v1/changes?after=2', undefined, both)
      expect(full.body.data[0].changes[0]).toMatchObject({ op: 'update', previous: { title: 'b-secret-final', team: 'b' }, previousGroups: ['team:b'] })
    } finally {
      a.close()
      b.close()
    }
  })

  it('text with NUL or an unpaired surrogate is refused with 400 invalid_data naming the field (HTTP and socket), and nothing is written', async () => {
    const w = await world(c)
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ title: 'nul \u0000 inside', team: 'a' }, 'title'],
      [{ title: 'lone \ud800 surrogate', team: 'a' }, 'title'],
      [{ title: 'ok', team: 'a', tags: ['fine', 'trail \udfff'] }, 'tags[1]'],
    ]
    for (const [data, field] of bad) {
      const res = await w.commit([{ op: 'create', model: 'docs', id: 'x', data }])
      expect(res.status, JSON.stringify(data)).toBe(400)
      expect(res.body.error).toMatchObject({ type: 'TandemValidationError', code: 'invalid_data', param: `operations[0].${field}` })
    }
    expect((await w.commit([{ op: 'create', model: 'docs', id: 'x', data: { title: 'fine', team: 'a' } }])).status).toBe(200)
    const patch = await w.commit([{ op: 'update', model: 'docs', id: 'x', data: { title: 'a\u0000b' } }])
    expect(patch.status).toBe(400)
    expect(patch.body.error).toMatchObject({ code: 'invalid_data', param: 'operations[0].title' })
    const s = await socket(w.server.url, w.server.secretKey)
    try {
      const res = await s.rpc('commit', { operations: [{ op: 'update', model: 'docs', id: 'x', data: { title: '\ud83d' } }] })
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_data', param: 'operations[0].title' } })
    } finally {
      s.close()
    }
    expect((await w.http('GET', '/v1/models/docs/x')).body.title).toBe('fine')
    expect((await w.http('GET', '/healthz')).body.syncId).toBe(1)
  })

  it('a forged list cursor is refused with 400 invalid_request, over HTTP and the socket', async () => {
    const w = await world(c)
    for (let i = 0; i < 3; i++) await w.commit([{ op: 'create', model: 'docs', id: `d${i}`, data: { title: `t${i}`, team: 'a', points: i } }])
    const forge = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url')
    const page = await w.http('GET', `/v1/models/docs?orderBy=${encodeURIComponent('{"points":"asc"}')}&limit=1`)
    expect(page.body.nextCursor).toEqual(expect.any(String))
    const q = (orderBy: string, cursor: string) => `/v1/models/docs?orderBy=${encodeURIComponent(orderBy)}&cursor=${cursor}`
    // The genuine cursor still pages.
    expect((await w.http('GET', `${q('{"points":"asc"}', page.body.nextCursor)}&limit=1`)).body.data.map((r: any) => r.id)).toEqual(['d1'])
    const forged: Array<[string, unknown]> = [
      ['{"title":"asc"}', [{ a: 1 }, 'd1']],
      ['{"title":"asc"}', [['t1'], 'd1']],
      ['{"title":"asc"}', ['t1', { id: 'd1' }]],
      ['{"title":"asc"}', ['t\u0000', 'd1']],
      ['{"points":"asc"}', ['three', 'd1']],
      ['{"points":"asc"}', [1.5, 'd1']],
      ['{"points":"asc"}', [1, 2]],
      ['{"title":"asc"}', ['t1']],
      ['{"title":"asc"}', { 0: 't1', 1: 'd1' }],
    ]
    for (const [orderBy, values] of forged) {
      const res = await w.http('GET', q(orderBy, forge(values)))
      expect(res.status, JSON.stringify(values)).toBe(400)
      expect(res.body.error).toMatchObject({ code: 'invalid_request', param: 'cursor' })
    }
    const s = await socket(w.server.url, w.server.secretKey)
    try {
      const res = await s.rpc('list', { model: 'docs', orderBy: { title: 'asc' }, cursor: forge([{ a: 1 }, { b: 2 }]) })
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_request', param: 'cursor' } })
    } finally {
      s.close()
    }
  })

  it('a failure inside the store answers 500 internal_error with a request id; the detail goes to the server log only', async () => {
    const w = await world(c)
    await w.commit([{ op: 'create', model: 'docs', id: 'd1', data: { title: 't', team: 'a' } }])
    const s = await socket(w.server.url, w.server.secretKey)
    await c.breakDocs(w.store)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const res = await w.http('GET', '/v1/models/docs')
      expect(res.status).toBe(500)
      expect(res.body.error).toEqual({
        type: 'TandemError',
        code: 'internal_error',
        message: expect.stringMatching(/^Internal server error \(request id req_\w+/),
        details: { requestId: expect.stringMatching(/^req_\w+$/) },
      })
      expect(JSON.stringify(res.body)).not.toMatch(/docs|table|relation|select|sqlite|postgres/i)
      const line = logged.mock.calls.find((args) => String(args[0]).includes(res.body.error.details.requestId))
      expect(line).toBeDefined()
      try {
        const viaSocket = await s.rpc('list', { model: 'docs' })
        expect(viaSocket).toMatchObject({ ok: false, error: { code: 'internal_error', details: { requestId: expect.any(String) } } })
        expect(JSON.stringify(viaSocket)).not.toMatch(/docs|table|relation|select|sqlite|postgres/i)
      } finally {
        s.close()
      }
    } finally {
      logged.mockRestore()
    }
  })
})
