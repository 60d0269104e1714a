/** Every command agrees on the default database: a key made by `tandem keys create` is accepted by `tandem dev` in the same folder. */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { spawnProcess, type ServerProcess } from '@tandem/core/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

const bin = resolve(import.meta.dirname, '../src/bin.ts')
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-default-db-'))
const running: ServerProcess[] = []
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const env = { DATABASE_URL: '' }
const tandem = (cwd: string, args: string[]) =>
  promisify(execFile)(process.execPath, ['--conditions=@tandem/source', bin, ...args], { cwd, env: { ...process.env, ...env } })

describe('the default database', () => {
  it('tandem keys create, then tandem dev in the same folder: the key is accepted', async () => {
    const cwd = mkdtempSync(join(dir, 'agree-'))
    const created = await tandem(cwd, ['keys', 'create', '--label', 'newcomer'])
    const key = created.stdout.match(/sk_test_\S+/)![0]
    const server = await spawnProcess([bin, 'dev', '--port', '0'], { cwd, env })
    running.push(server)
    const res = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'ada', groups: ['org:acme'] }),
    })
    expect(res.status).toBe(201)
  })

  it('names a database left at the old default .tandem/tandem.db in a one-line warning', async () => {
    const cwd = mkdtempSync(join(dir, 'old-'))
    mkdirSync(join(cwd, '.tandem'))
    writeFileSync(join(cwd, '.tandem/tandem.db'), '')
    const listed = await tandem(cwd, ['keys', 'list'])
    expect(listed.stderr.trim().split('\n')).toHaveLength(1)
    expect(listed.stderr).toMatch(/\.tandem\/dev\.db.*\.tandem\/tandem\.db.*--database-url/)
  })
})
