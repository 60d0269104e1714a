/**
 * The SQLite file is private (0600, with its -wal and -shm) whatever the
 * umask, and a server given its session secret neither uses nor stores the one
 * in the database: a copy of the database alone cannot mint tokens (issue 22).
 */
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { createServer, sqliteStore } from '@tandem/core/server'
import { afterAll, describe, expect, it } from 'vitest'
import { defer } from './helpers.ts'
import { schema } from './fixtures.ts'

const dir = mkdtempSync(join(tmpdir(), 'tandem-secrets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mode = (path: string) => statSync(path).mode & 0o777
const sessionSecret = 'an-operator-secret-of-at-least-32-characters'

/** The id of the key that minted `token` (stored keys' ids are in the database too). */
const issuerOf = (token: string): string => JSON.parse(Buffer.from(token.slice(3, token.lastIndexOf('.')), 'base64url').toString()).iss

/** A session token for any user and group, signed with `secret` the way the server signs them. */
function forge(secret: Buffer | string, iss: string, groups: string[]): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = { v: 1, sid: 'forged', sub: 'mallory', grp: groups, pk: 'human', iss, iat: now, exp: now + 3600 }
  const body = `ek_${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

async function start(path: string, extra: { sessionSecret?: string; secretKeys?: string[] } = {}) {
  const server = await createServer({ schema, store: sqliteStore({ path }), port: 0, ...extra })
  defer(() => server.close())
  const http = async (method: string, url: string, body?: unknown, token = server.secretKey) => {
    const res = await fetch(server.url + url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  return { server, http }
}

const storedSecret = (path: string): string | undefined => {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const row = db.prepare(`SELECT "value" FROM "_tandem_records" WHERE "kind" = 'meta' AND "id" = 'session_secret'`).get() as { value: string } | undefined
    return row ? (JSON.parse(row.value) as { secret: string }).secret : undefined
  } finally {
    db.close()
  }
}

describe('secrets at rest', () => {
  it('creates the database, -wal and -shm readable by the owner only (0600) under umask 022', async () => {
    const previous = process.umask(0o022)
    try {
      const path = join(dir, 'private.db')
      const { http } = await start(path)
      expect((await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: 'x' } }] })).status).toBe(200)
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file).toString(8), file).toBe('600')
    } finally {
      process.umask(previous)
    }
  })

  it('with sessionSecret, tokens signed with the database secret are refused and no secret is stored', async () => {
    const path = join(dir, 'rotated.db')
    const secretKeys = ['sk_test_a-key-that-both-runs-accept-000']
    const first = await start(path, { secretKeys })
    const minted = (await first.http('POST', '/v1/sessions', { userId: 'ada', groups: ['org:default'] })).body.token as string
    const dbSecret = Buffer.from(storedSecret(path)!, 'base64')
    // The attack: anyone who can read the file mints tokens for any user and group.
    const iss = issuerOf(minted)
    const forged = forge(dbSecret, iss, ['org:default'])
    expect((await first.http('GET', '/v1/models/tasks', undefined, forged)).status).toBe(200)
    await first.server.close()

    const second = await start(path, { secretKeys, sessionSecret })
    for (const token of [minted, forged]) {
      const res = await second.http('GET', '/v1/models/tasks', undefined, token)
      expect(res.status).toBe(401)
      expect(res.body.error).toMatchObject({ code: 'unauthenticated' })
    }
    const fresh = (await second.http('POST', '/v1/sessions', { userId: 'ada', groups: ['org:default'] })).body.token as string
    expect((await second.http('GET', '/v1/models/tasks', undefined, fresh)).status).toBe(200)
    expect((await second.http('GET', '/v1/models/tasks', undefined, forge(sessionSecret, iss, ['org:default']))).status).toBe(200)

    // A new database served with a secret never holds one.
    const clean = join(dir, 'clean.db')
    const third = await start(clean, { sessionSecret })
    expect((await third.http('POST', '/v1/sessions', { userId: 'bob', groups: ['org:default'] })).status).toBe(201)
    await third.server.close()
    expect(storedSecret(clean)).toBeUndefined()
  })

  it('refuses a session secret shorter than 32 characters at start', async () => {
    await expect(createServer({ schema, store: sqliteStore({ path: join(dir, 'short.db') }), port: 0, sessionSecret: 'too-short' })).rejects.toThrow(
      /at least 32/,
    )
  })
})
