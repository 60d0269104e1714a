/** The published shape: built packages (dist, no source condition) run a server and a client end to end. */
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)

it('npm run build → dist runs `tandem serve` and a Tandem client without the source condition', async () => {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH']}` }
  await run('npm', ['run', 'build'], { cwd: root, env })
  const dir = mkdtempSync(join(tmpdir(), 'tandem-dist-'))
  const server = spawn(process.execPath, [join(root, 'cli/dist/bin.js'), 'serve', '--port', '0', '--database-url', `sqlite:${join(dir, 'db')}`], {
    cwd: root,
    env: { ...process.env, TANDEM_SECRET_KEYS: 'sk_test_dist' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = ''
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = out.match(/listening on (http:\/\/\S+)/)
        if (m) res(m[1]!)
      })
      server.once('exit', (code) => rej(new Error(`server exited ${code}: ${out}`)))
    })
    const script = `
      import Tandem from '@tandem/core'
      import { defineSchema, model, z } from '@tandem/core/schema'
      const schema = defineSchema({ tasks: model({ title: z.string().min(1), status: z.enum(['todo', 'doing', 'done']).default('todo'), assignee: z.string().nullable().optional(), notes: z.string().optional() }) })
      const t = Tandem({ schema, baseURL: '${url}', apiKey: 'sk_test_dist' })
      await t.ready()
      const row = await t.tasks.create({ data: { title: 'from dist' } })
      console.log(JSON.stringify({ syncId: row.syncId, status: row.status }))
      await t.dispose()
    `
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root })
    expect(JSON.parse(stdout)).toEqual({ syncId: 1, status: 'todo' })
  } finally {
    server.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}, 120_000)
