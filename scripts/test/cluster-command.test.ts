/**
 * @module `npm run cluster` (scripts/cluster/cluster.ts): creates its database, starts 3 nodes and a round-robin
 * proxy, serves through it (a client writes, reads come back from every node), and Ctrl-C stops every node.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { resolve } from 'node:path'
import Tandem from '@tandem/core'
import { schema } from 'tandem/demo-schema'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'

const adminUrl = process.env['TANDEM_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const root = resolve(import.meta.dirname, '../..')
const key = 'sk_test_cluster_command'

async function reachable(): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return true
  } catch (error) {
    if (process.env['CI'] === 'true') throw error
    return false
  } finally {
    await sql.end({ timeout: 1 })
  }
}

const withPostgres = await reachable()

describe.skipIf(!withPostgres)('npm run cluster', () => {
  it('starts 3 nodes behind a round-robin proxy, serves through it, and stops them all on SIGINT', { timeout: 60_000 }, async () => {
    const name = `tandem_test_cluster_${randomBytes(6).toString('hex')}`
    const databaseUrl = new URL(adminUrl)
    databaseUrl.pathname = `/${name}`
    const proc = spawn(process.execPath, ['--conditions=@tandem/source', 'scripts/cluster/cluster.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl.toString(), TANDEM_PORT: '0', TANDEM_SECRET_KEYS: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = once(proc, 'exit')
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    try {
      let out = ''
      proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
      const proxyUrl = await new Promise<string>((resolvePromise, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = out.match(/cluster proxy listening on (http:\/\/127\.0\.0\.1:\d+)/)
          if (m) resolvePromise(m[1]!)
        })
        proc.once('exit', (code) => reject(new Error(`cluster exited with ${code}:\n${out}`)))
      })
      const nodeUrls = [...out.matchAll(/node \d: (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!)
      expect(nodeUrls).toHaveLength(3)
      expect(out).toContain(`secret key: ${key}`)

      const client = Tandem({ schema, baseURL: proxyUrl, apiKey: key })
      try {
        await client.ready()
        const task = await client.tasks.create({ data: { title: 'through the proxy' } })
        // Each fetch is a new connection through the proxy, and so goes to the next node: all of them have the row.
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${proxyUrl}/v1/models/tasks/${task.id}`, { headers: { authorization: `Bearer ${key}`, connection: 'close' } })
          expect(await res.json()).toMatchObject({ id: task.id, title: 'through the proxy' })
        }
        for (const url of nodeUrls) expect((await (await fetch(`${url}/healthz`)).json()) as object).toMatchObject({ ok: true, store: 'postgres' })
      } finally {
        await client.dispose()
      }

      proc.kill('SIGINT')
      const [code] = await exited
      expect(code).toBe(0)
      // It waited for its nodes to exit: none answers any more.
      for (const url of [proxyUrl, ...nodeUrls]) await expect(fetch(`${url}/healthz`)).rejects.toThrow()
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end({ timeout: 1 })
    }
  })
})
