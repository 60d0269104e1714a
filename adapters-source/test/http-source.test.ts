/**
 * @module httpSource against the reference Python Data Source (a real child
 * process on a real socket): the store conformance suite, and a real server
 * with clients whose rows land in the Python side's SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { createServer } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { httpSource, sqliteStore } from '@tandem/sources'
import { describeStoreConformance } from '@tandem/sources/conformance'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defer } from './cleanup.ts'
import { schema } from './fixtures/tasks-schema.ts'
import { type PythonSource, startPythonSource, testSecret } from './python-source.ts'

const runner = { describe, it, expect, beforeEach, afterEach }

describe('httpSource conformance', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-http-conformance-'))
  let python: PythonSource | undefined
  let n = 0
  let logPath = ''
  afterAll(async () => {
    await python?.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  // A new endpoint (its own SQLite file) and a new log file per test, so each store starts empty.
  describeStoreConformance(
    'http (Python data_source.py)',
    async () => {
      await python?.stop()
      n++
      python = await startPythonSource({ dbPath: join(dir, `rows-${n}.db`) })
      logPath = join(dir, `log-${n}.db`)
      return httpSource({ url: python.url, secret: testSecret, log: sqliteStore({ path: logPath }) })
    },
    runner,
    { reopen: () => httpSource({ url: python!.url, secret: testSecret, log: sqliteStore({ path: logPath }) }) },
  )
})

describe('a real server on httpSource', () => {
  it('create / update / delete round-trip through the Python endpoint; its SQLite file holds the rows; a restarted server bootstraps from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-http-server-'))
    defer(() => rmSync(dir, { recursive: true, force: true }))
    const python = await startPythonSource({ dbPath: join(dir, 'rows.db') })
    defer(() => python.stop())
    const start = () =>
      createServer({
        schema,
        store: httpSource({ url: python.url, secret: testSecret, log: sqliteStore({ path: join(dir, 'log.db') }) }),
        port: 0,
        secretKeys: ['sk_test_http_source'],
      })
    const server = await start()
    defer(() => server.close())
    const client = (url: string) => {
      const c = Tandem({ schema, baseURL: url, apiKey: server.secretKey })
      defer(() => c.dispose())
      return c
    }
    const a = client(server.url)
    const b = client(server.url)
    await Promise.all([a.ready(), b.ready()])

    const created = await a.tasks.create({ data: { title: 'Write the Data Source', points: 3 } })
    expect(created).toMatchObject({ title: 'Write the Data Source', status: 'todo', points: 3, syncId: 1 })
    expect(python.rows('tasks')).toEqual([{ id: created.id, data: created, groups: [expect.stringMatching(/./)] }])
    await until(b, (t) => t.tasks.get(created.id))

    const updated = await a.tasks.update({ id: created.id, data: { status: 'doing' } })
    expect(updated).toMatchObject({ status: 'doing', syncId: 2 })
    expect(python.rows('tasks').map((r) => r.data)).toEqual([updated])
    await until(b, (t) => t.tasks.get(created.id)?.status === 'doing')

    // Reads through the server go to the endpoint (load / list).
    expect(await b.tasks.retrieve({ id: created.id })).toEqual(updated)
    expect([...(await b.tasks.list({ where: { status: 'doing' } }))]).toEqual([updated])
    expect([...(await b.tasks.list({ where: { status: 'done' } }))]).toEqual([])

    const second = await b.tasks.create({ data: { title: 'Second' } })
    await a.tasks.delete({ id: created.id })
    expect(python.rows('tasks').map((r) => r.id)).toEqual([second.id])
    await until(b, (t) => t.cursor() === 4 && !t.tasks.get(created.id))
    expect(a.snapshot()).toEqual(b.snapshot())

    const res = await fetch(`${server.url}/v1/changes?after=0`, { headers: { authorization: `Bearer ${server.secretKey}` } })
    const log = (await res.json()) as { data: Array<{ syncId: number; changes: Array<{ op: string; id: string }> }> }
    expect(log.data.map((e) => [e.syncId, e.changes[0]!.op, e.changes[0]!.id])).toEqual([
      [1, 'create', created.id],
      [2, 'update', created.id],
      [3, 'create', second.id],
      [4, 'delete', created.id],
    ])
    // Each commit reached the endpoint once, under its own clientTxId.
    const commits = python.requests.filter((r) => r.type === 'commit')
    expect(commits.map((r) => [r.status, r.replay])).toEqual([
      [200, false],
      [200, false],
      [200, false],
      [200, false],
    ])
    expect(python.commits()).toHaveLength(4)

    // A new server on the same endpoint and log: clients bootstrap the endpoint's rows at the log's head.
    await a.dispose()
    await b.dispose()
    await server.close()
    const again = await start()
    defer(() => again.close())
    const c = client(again.url)
    await c.ready()
    expect(c.cursor()).toBe(4)
    expect(c.tasks.getAll()).toEqual([python.rows('tasks')[0]!.data])
  })
})
