/** Two `tandem dev` on one SQLite file: the second is refused with a clear message; a kill -9'd holder's lock is taken over; admin commands work beside a running server. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { spawnProcess, type ServerProcess } from '@tandem/core/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

const bin = resolve(import.meta.dirname, '../src/bin.ts')
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-lock-'))
const running: ServerProcess[] = []
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const env = { DATABASE_URL: '' }
const tandem = (cwd: string, args: string[]) =>
  promisify(execFile)(process.execPath, ['--conditions=@tandem/source', bin, ...args], { cwd, env: { ...process.env, ...env } })
const dev = async (cwd: string) => {
  const server = await spawnProcess([bin, 'dev', '--port', '0'], { cwd, env })
  running.push(server)
  return server
}

describe('tandem dev and the SQLite lock', () => {
  it('a second tandem dev on the same file exits non-zero naming the file and the holder pid; after kill -9 the next one takes over', async () => {
    const cwd = mkdtempSync(join(dir, 'two-'))
    const first = await dev(cwd)
    const second = await tandem(cwd, ['dev', '--port', '0']).catch((e: { code: number; stderr: string }) => e)
    expect(second).toMatchObject({ code: 1 })
    const stderr = (second as { stderr: string }).stderr.trim()
    expect(stderr.split('\n')).toHaveLength(1)
    expect(stderr).toContain('.tandem/dev.db')
    expect(stderr).toContain(`pid ${first.proc.pid}`)
    await first.kill() // SIGKILL: the lock stays behind
    const third = await dev(cwd)
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200)
  })

  it('keys create and schema push work while tandem dev holds the file, and the running server accepts the key', async () => {
    const cwd = mkdtempSync(join(dir, 'admin-'))
    const server = await dev(cwd)
    await tandem(cwd, ['schema', 'push'])
    const key = (await tandem(cwd, ['keys', 'create'])).stdout.match(/sk_test_\S+/)![0]
    const mint = () =>
      fetch(`${server.url}/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'ada', groups: ['org:acme'] }),
      })
    // The server re-reads stored keys every second: the key starts working within it.
    const deadline = Date.now() + 10_000
    let res = await mint()
    while (res.status === 401 && Date.now() < deadline) res = await mint()
    expect(res.status).toBe(201)
  })
})
