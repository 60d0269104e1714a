import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { spawnProcess } from '@tandem/core/testing'
import { expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

it('tandem serve answers GET /llms.txt with the repo llms.txt, without a key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-llms-'))
  const server = await spawnProcess([join(root, 'cli/src/bin.ts'), 'serve', '--port', '0', '--database-url', `sqlite:${join(dir, 'db.sqlite')}`], { cwd: dir })
  try {
    const res = await fetch(`${server.url}/llms.txt`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toBe(readFileSync(join(root, 'llms.txt'), 'utf8'))
  } finally {
    await server.kill()
    rmSync(dir, { recursive: true, force: true })
  }
})
