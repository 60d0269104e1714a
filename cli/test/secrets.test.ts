/** The files the CLI writes are private (0600) whatever the umask, and `tandem serve` signs sessions with a secret it is given, keeping none in the database. */
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { promisify } from 'node:util'
import { spawnProcess, type ServerProcess } from '@tandem/core/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

const bin = resolve(import.meta.dirname, '../src/bin.ts')
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-secrets-'))
const running: ServerProcess[] = []
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)
const secretKey = 'sk_test_cli-secrets-test-key-0000000000'
const secret = 'a-session-secret-for-the-cli-test-0123456789'

async function serve(name: string, args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(dir, `${name}-`))
  const server = await spawnProcess([bin, ...args, '--port', '0'], { cwd, env })
  running.push(server)
  return { server, cwd }
}

async function mint(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'ada', groups: ['org:acme'] }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { token: string }).token
}

const signedWith = (token: string, key: string) => {
  const dot = token.lastIndexOf('.')
  return createHmac('sha256', key).update(token.slice(0, dot)).digest('base64url') === token.slice(dot + 1)
}

const storesSecret = (path: string): boolean => {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return db.prepare(`SELECT 1 FROM "_tandem_records" WHERE "kind" = 'meta' AND "id" = 'session_secret'`).get() !== undefined
  } finally {
    db.close()
  }
}

describe('tandem CLI secrets', () => {
  it('tandem dev writes its key, database, -wal and -shm 0600 (folder 0700) under umask 022', async () => {
    const previous = process.umask(0o022) // the child inherits it
    try {
      const { cwd } = await serve('dev', ['dev'])
      const files = ['dev-key', 'dev.db', 'dev.db-wal', 'dev.db-shm'].map((f) => join(cwd, '.tandem', f))
      expect(files.map(mode)).toEqual(['600', '600', '600', '600'])
      expect(mode(join(cwd, '.tandem'))).toBe('700')
    } finally {
      process.umask(previous)
    }
  })

  it('tandem serve signs with TANDEM_SESSION_SECRET and stores no secret; --session-secret-file too', async () => {
    const env = { TANDEM_SECRET_KEYS: secretKey }
    const a = await serve('env', ['serve', '--database-url', 'sqlite:env.db'], { ...env, TANDEM_SESSION_SECRET: secret })
    expect(signedWith(await mint(a.server.url), secret)).toBe(true)
    expect(storesSecret(join(a.cwd, 'env.db'))).toBe(false)

    const file = join(dir, 'session-secret')
    writeFileSync(file, `${secret}-from-file\n`, { mode: 0o600 })
    const b = await serve('file', ['serve', '--database-url', 'sqlite:file.db', '--session-secret-file', file], env)
    expect(signedWith(await mint(b.server.url), `${secret}-from-file`)).toBe(true)
    expect(storesSecret(join(b.cwd, 'file.db'))).toBe(false)

    // Without either, the secret lives in the database (and the server says so).
    const c = await serve('db', ['serve', '--database-url', 'sqlite:db.db'], env)
    expect(signedWith(await mint(c.server.url), secret)).toBe(false)
    expect(storesSecret(join(c.cwd, 'db.db'))).toBe(true)
  })

  it('tandem serve refuses both sources at once, and a secret shorter than 32 characters', async () => {
    const run = promisify(execFile)
    const file = join(dir, 'both-secret')
    writeFileSync(file, secret, { mode: 0o600 })
    const cwd = mkdtempSync(join(dir, 'refused-'))
    const tandem = (args: string[], extra: Record<string, string>) =>
      run(process.execPath, ['--conditions=@tandem/source', bin, 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, ...extra } }).catch(
        (e: { code: number; stderr: string }) => e,
      )
    const both = await tandem(['--session-secret-file', file], { TANDEM_SESSION_SECRET: secret })
    expect(both).toMatchObject({ code: 1, stderr: expect.stringMatching(/not both/) })
    const short = await tandem([], { TANDEM_SESSION_SECRET: 'short' })
    expect(short).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least 32 characters/) })
  })
})
