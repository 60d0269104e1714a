/**
 * @module httpSource when the Data Source misbehaves: down, garbage answers,
 * refusals, slower than the timeout, a wrong signature, a local log commit
 * that fails after the endpoint applied, and a SIGKILL in that same window.
 * Real processes and sockets throughout (the Python endpoint, a proxy in
 * front of it, Tandem servers in and out of process).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import Tandem, { TandemValidationError } from '@tandem/core'
import { createServer, type Store } from '@tandem/core/server'
import { httpSource, type HttpSourceOptions, sqliteStore } from '@tandem/sources'
import { describe, expect, it } from 'vitest'
import { generateSecret, signedHeaders } from '@tandem/webhooks/signing'
import { defer } from './cleanup.ts'
import { startFaultProxy } from './fault-proxy.ts'
import { schema } from './fixtures/tasks-schema.ts'
import { startPythonSource, testSecret } from './python-source.ts'
import { spawnNode } from './spawn-server.ts'

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-source-faults-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** What our side holds, read straight from the log store's SQLite file. */
function localState(path: string) {
  const db = new DatabaseSync(path)
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n
    return { log: count('_tandem_log'), idempotency: count('_tandem_idempotency'), journal: count('httpSourceJournal') }
  } finally {
    db.close()
  }
}

async function setup(url: string, options: Partial<HttpSourceOptions> & { wrapLog?: (log: Store) => Store } = {}) {
  const logPath = join(tempDir(), 'log.db')
  const sqlite = sqliteStore({ path: logPath })
  const server = await createServer({
    schema,
    store: httpSource({ url, secret: testSecret, retries: 1, timeoutMs: 5000, ...options, log: options.wrapLog ? options.wrapLog(sqlite) : sqlite }),
    port: 0,
  })
  defer(() => server.close())
  const client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
  defer(() => client.dispose())
  const http = async (method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string) => {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        authorization: `Bearer ${server.secretKey}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  return { server, client, http, local: () => localState(logPath) }
}

const createOp = (id: string, title = id) => ({ operations: [{ op: 'create', model: 'tasks', id, data: { title } }] })

/** The Python Data Source behind a fault-injecting proxy, a server on it, and a connected client. */
async function behindFaultProxy() {
  const python = await startPythonSource()
  defer(() => python.stop())
  const proxy = await startFaultProxy(python.url)
  defer(() => proxy.close())
  const s = await setup(proxy.url)
  await s.client.ready()
  return { python, proxy, s }
}

describe('httpSource faults', () => {
  it('endpoint down: typed error, the client rolls back, nothing reaches our log; the same Idempotency-Key works once it is back', async () => {
    const dbPath = join(tempDir(), 'rows.db')
    const first = await startPythonSource({ dbPath })
    const s = await setup(first.url)
    await s.client.ready()
    await first.stop()

    const error = await s.client.tasks.create({ id: 'down-1', data: { title: 'written while down' } }).catch((e: unknown) => e)
    expect(error).toMatchObject({ type: 'TandemError', code: 'source_unavailable', details: { dataSource: { reason: 'unreachable', attempts: 2 } } })
    expect(s.client.tasks.get('down-1')).toBeUndefined()
    expect(s.client.pendingCount()).toBe(0)
    const overHttp = await s.http('POST', '/v1/commits', createOp('k-1'), 'key-1')
    expect(overHttp.status).toBe(503)
    expect(overHttp.body.error).toMatchObject({ type: 'TandemError', code: 'source_unavailable', details: { dataSource: { reason: 'unreachable' } } })
    expect(s.local()).toEqual({ log: 0, idempotency: 0, journal: 0 })

    const python = await startPythonSource({ dbPath, port: first.port })
    defer(() => python.stop())
    const again = await s.http('POST', '/v1/commits', createOp('k-1'), 'key-1')
    expect(again).toMatchObject({ status: 200, body: { syncId: 1 } })
    expect(await s.client.tasks.create({ id: 'down-1', data: { title: 'written while down' } })).toMatchObject({ syncId: 2 })
    expect(python.rows('tasks').map((r) => r.id)).toEqual(['down-1', 'k-1'])
    expect(s.local()).toEqual({ log: 2, idempotency: 2, journal: 0 })
  })

  it('garbage answers are typed errors; a commit the endpoint applied but answered with garbage is undone there before anything else', async () => {
    const { python, proxy, s } = await behindFaultProxy()
    expect(await s.client.tasks.create({ id: 'r1', data: { title: 'fine' } })).toMatchObject({ syncId: 1 })

    proxy.modes.load = 'not-json'
    const load = await s.http('GET', '/v1/models/tasks/r1')
    expect(load.status).toBe(502)
    expect(load.body.error).toMatchObject({ code: 'source_invalid_response', details: { dataSource: { reason: 'invalid_response' } } })
    proxy.modes.load = 'pass'
    proxy.modes.list = 'html-502'
    const list = await s.http('GET', '/v1/models/tasks')
    expect(list.status).toBe(502)
    expect(list.body.error).toMatchObject({ details: { dataSource: { reason: 'invalid_response', attempts: 2, status: 502 } } })
    proxy.modes.list = 'pass'

    // The endpoint applies the commit, but Tandem cannot read the answer: the outcome is unknown.
    proxy.modes.commit = 'wrong-shape'
    const error = await s.client.tasks.create({ id: 'g1', data: { title: 'answered with garbage' } }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'source_invalid_response', details: { dataSource: { reason: 'invalid_response' } } })
    expect(s.client.tasks.get('g1')).toBeUndefined()
    expect(python.rows('tasks').map((r) => r.id)).toEqual(['g1', 'r1'])
    expect(s.local()).toEqual({ log: 1, idempotency: 1, journal: 1 })

    // Once the endpoint answers properly, the next write first replays that commit (a duplicate) and undoes it.
    proxy.modes.commit = 'pass'
    expect(await s.client.tasks.create({ id: 'g2', data: { title: 'after' } })).toMatchObject({ syncId: 2 })
    expect(python.rows('tasks').map((r) => r.id)).toEqual(['g2', 'r1'])
    const undo = python.commits().filter((id) => id.endsWith('.undo'))
    expect(undo).toHaveLength(1)
    const original = undo[0]!.slice(0, -'.undo'.length)
    expect(python.commits()).toContain(original)
    expect(python.requests.filter((r) => r.clientTxId === original).map((r) => r.replay)).toEqual([false, true, true])
    expect(s.local()).toEqual({ log: 2, idempotency: 2, journal: 0 })
  })

  it("the endpoint's own refusal reaches the client as that error; nothing is applied anywhere", async () => {
    const { python, proxy, s } = await behindFaultProxy()
    proxy.modes.commit = 'refuse'
    const error = await s.client.tasks.create({ id: 'no', data: { title: 'refused' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TandemValidationError)
    expect(error).toMatchObject({ code: 'invalid_data', message: 'The Data Source does not accept this title' })
    expect(s.client.tasks.get('no')).toBeUndefined()
    const overHttp = await s.http('POST', '/v1/commits', createOp('no'), 'key-no')
    expect(overHttp).toMatchObject({ status: 422, body: { error: { type: 'TandemValidationError', code: 'invalid_data' } } })
    expect(python.rows('tasks')).toEqual([])
    expect(s.local()).toEqual({ log: 0, idempotency: 0, journal: 0 })
    proxy.modes.commit = 'pass'
    expect((await s.http('POST', '/v1/commits', createOp('no'), 'key-no')).body).toMatchObject({ syncId: 1 })
  })

  it('an endpoint slower than timeoutMs: the commit is retried with the same clientTxId and applied once', async () => {
    // The endpoint applies the first commit, then holds its answer until the same clientTxId comes again.
    const python = await startPythonSource({ args: ['--hold-commits', '1'] })
    defer(() => python.stop())
    const s = await setup(python.url, { timeoutMs: 500, retries: 2 })
    await s.client.ready()
    expect(await s.client.tasks.create({ id: 'slow', data: { title: 'slow endpoint' } })).toMatchObject({ syncId: 1 })
    const first = await python.nextRequest((r) => r.type === 'commit' && r.replay === false)
    const retry = await python.nextRequest((r) => r.type === 'commit' && r.replay === true)
    expect(first.held).toBe(true)
    expect(retry.clientTxId).toBe(first.clientTxId)
    expect(python.commits()).toEqual([first.clientTxId])
    expect(python.rows('tasks').map((r) => r.id)).toEqual(['slow'])
    expect(s.local()).toEqual({ log: 1, idempotency: 1, journal: 0 })
  })

  it('a wrong secret is refused by the endpoint (401): typed error, nothing applied anywhere', async () => {
    const python = await startPythonSource()
    defer(() => python.stop())
    const s = await setup(python.url, { secret: generateSecret() })
    const commit = await s.http('POST', '/v1/commits', createOp('x'), 'key-x')
    expect(commit.status).toBe(502)
    expect(commit.body.error).toMatchObject({
      type: 'TandemError',
      code: 'source_unauthorized',
      details: { dataSource: { reason: 'unauthorized', status: 401 } },
    })
    const read = await s.http('GET', '/v1/models/tasks/x')
    expect(read.body.error).toMatchObject({ details: { dataSource: { reason: 'unauthorized' } } })
    // Every request (the commit's load, the retrieve, a client's bootstrap list) was refused at the signature.
    expect(python.requests.length).toBeGreaterThanOrEqual(2)
    expect(python.requests.filter((r) => r.status !== 401 || r.code !== 'unauthenticated')).toEqual([])
    expect(python.rows('tasks')).toEqual([])
    expect(s.local()).toEqual({ log: 0, idempotency: 0, journal: 0 })
  })

  it('the Python endpoint refuses missing, stale and forged signatures with 401 and the error envelope; accepts a valid one among several', async () => {
    const python = await startPythonSource()
    defer(() => python.stop())
    const body = JSON.stringify({ type: 'load', model: 'tasks', id: 'x' })
    const post = async (headers: Record<string, string>, payload = body) => {
      const res = await fetch(python.url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } })
      return { status: res.status, body: (await res.json()) as any }
    }
    const refused = (message: RegExp) => ({
      status: 401,
      body: { error: { type: 'TandemAuthError', code: 'unauthenticated', message: expect.stringMatching(message) } },
    })
    expect(await post({})).toMatchObject(refused(/Missing/))
    expect(await post(signedHeaders(testSecret, body, 'msg_old', Date.now() - 10 * 60_000))).toMatchObject(refused(/too old/))
    expect(await post(signedHeaders(testSecret, body), body.replace('"x"', '"y"'))).toMatchObject(refused(/No webhook-signature matches/))
    expect(await post(signedHeaders(generateSecret(), body))).toMatchObject(refused(/No webhook-signature matches/))
    const good = signedHeaders(testSecret, body)
    expect(await post({ ...good, 'webhook-signature': `v1,AAAA ${good['webhook-signature']}` })).toEqual({ status: 200, body: { row: null } })
  })

  it('the endpoint applied a commit but our log commit fails: the commit is undone at the endpoint and the client rolls back', async () => {
    const python = await startPythonSource()
    defer(() => python.stop())
    let failNext = false
    const s = await setup(python.url, {
      wrapLog: (log) => ({
        ...log,
        transaction: (fn) =>
          log.transaction(async (tx) => {
            let appended = false
            const result = await fn({ ...tx, appendLog: async (entry) => ((appended = true), tx.appendLog(entry)) })
            if (appended && failNext) {
              failNext = false
              throw new Error('disk I/O error (simulated)')
            }
            return result
          }),
      }),
    })
    await s.client.ready()
    failNext = true
    const error = await s.client.tasks.create({ id: 'lost', data: { title: 'never logged' } }).catch((e: unknown) => e)
    // The cause stays in the server log; the client gets a generic internal_error with the id of that log line.
    expect(error).toMatchObject({ code: 'internal_error', details: { requestId: expect.stringMatching(/^req_/) } })
    expect((error as Error).message).not.toContain('disk I/O error')
    expect(s.client.tasks.get('lost')).toBeUndefined()
    expect(python.rows('tasks')).toEqual([])
    expect(python.commits()).toHaveLength(2)
    expect(python.commits().filter((id) => id.endsWith('.undo'))).toHaveLength(1)
    expect(s.local()).toEqual({ log: 0, idempotency: 0, journal: 0 })
    expect(await s.client.tasks.create({ id: 'lost', data: { title: 'logged now' } })).toMatchObject({ syncId: 1 })
    expect(python.rows('tasks').map((r) => r.data['title'])).toEqual(['logged now'])
  })

  it('SIGKILL after the endpoint applied a commit and before the log commit: on restart the commit is undone there; the client retry applies once', async () => {
    const python = await startPythonSource()
    defer(() => python.stop())
    const logPath = join(tempDir(), 'log.db')
    const key = 'sk_test_source_crash'
    const env = { SOURCE_URL: python.url, SOURCE_SECRET: testSecret, LOG_PATH: logPath, SECRET_KEY: key }
    const script = resolve(import.meta.dirname, 'processes/source-server.ts')
    const commit = (url: string) =>
      fetch(`${url}/v1/commits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'crash-1' },
        body: JSON.stringify(createOp('crash', 'in the window')),
      })

    const hanging = await spawnNode([script], { ...env, HANG_LOG_COMMIT: '1' })
    defer(() => hanging.kill())
    const lost = commit(hanging.url).catch((e: unknown) => e)
    const applied = await python.nextRequest((r) => r.type === 'commit' && r.status === 200)
    expect(python.rows('tasks').map((r) => r.id)).toEqual(['crash'])
    await hanging.kill()
    expect(await lost).toBeInstanceOf(Error)

    // Opening the store settles the journal before the server listens.
    const restarted = await spawnNode([script], env)
    defer(() => restarted.kill())
    expect(python.rows('tasks')).toEqual([])
    expect(python.commits()).toEqual(expect.arrayContaining([applied.clientTxId, `${applied.clientTxId}.undo`]))
    expect(localState(logPath)).toEqual({ log: 0, idempotency: 0, journal: 0 })

    const res = await commit(restarted.url)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ syncId: 1 })
    expect(python.rows('tasks').map((r) => r.data['title'])).toEqual(['in the window'])
  })
})
