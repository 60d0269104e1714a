import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { until, untilStatus } from '@tandem/core/testing'
import { schema } from './fixtures.ts'
import { defer } from './helpers.ts'
import { spawnServer } from './spawn-server.ts'

const key = 'sk_test_crash_restart_key'
const schemaFile = resolve(import.meta.dirname, 'fixtures.ts')

it('SIGKILL the server, restart on the same SQLite file: rows and log survive, clients catch up without gaps or doubles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-crash-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  const args = ['--database-url', `sqlite:${join(dir, 'db.sqlite')}`, '--schema', schemaFile]
  const env = { TANDEM_SECRET_KEYS: key }
  let server = await spawnServer([...args, '--port', '0'], env)
  defer(() => server.kill())

  const a = Tandem({ schema, baseURL: server.url, apiKey: key, heartbeatMs: 1000 })
  const b = Tandem({ schema, baseURL: server.url, apiKey: key, heartbeatMs: 1000 })
  defer(() => a.dispose())
  defer(() => b.dispose())
  await Promise.all([a.ready(), b.ready()])

  for (let i = 0; i < 20; i++) await a.tasks.create({ id: `before-${i}`, data: { title: `row ${i}`, points: i } })
  await a.tasks.update({ id: 'before-3', data: { status: 'done' } })
  await until(b, (t) => t.cursor() === 21)

  await server.kill()
  await Promise.all([untilStatus(a, 'backoff'), untilStatus(b, 'backoff')])

  // Written while the server is down: applied locally now, replayed once on reconnect.
  const offlineWrite = a.tasks.create({ id: 'while-down', data: { title: 'queued offline' } })
  expect(a.tasks.get('while-down')?.title).toBe('queued offline')

  server = await spawnServer([...args, '--port', String(server.port)], env)
  const row = await offlineWrite
  expect(row.syncId).toBe(22)

  for (const t of [a, b]) {
    await until(t, (x) => x.cursor() === 22 && x.pendingCount() === 0, 20_000)
    expect(t.tasks.getCount()).toBe(21)
    expect(t.tasks.get('before-3')?.status).toBe('done')
  }
  expect(a.snapshot()).toEqual(b.snapshot())

  const res = await fetch(`${server.url}/v1/changes?after=0&limit=1000`, { headers: { authorization: `Bearer ${key}` } })
  const log = (await res.json()) as { data: Array<{ syncId: number; changes: Array<{ id: string; op: string }> }> }
  expect(log.data.map((e) => e.syncId)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1))
  const creates = log.data.flatMap((e) => e.changes.filter((c) => c.op === 'create').map((c) => c.id))
  expect(new Set(creates).size).toBe(creates.length)
  expect(creates).toHaveLength(21)
})
