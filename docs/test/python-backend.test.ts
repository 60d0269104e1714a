/**
 * @module The Python backend in `examples/python/` against the TypeScript side:
 * its unit tests, its error table beside core's, signatures made by
 * `@tandem/webhooks/signing` checked by `webhook_receiver.py`, and `worker.py`
 * claiming, writing and being refused next to a TypeScript client on a real server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Tandem, { errorCodes, TandemClaimedError } from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { generateSecret, signedHeaders } from '@tandem/webhooks/signing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devSchema as schema, examplesDir, startPython, type PythonProcess } from './python-process.ts'

describe('examples/python unit tests (python3 -m unittest)', () => {
  it('pass', async () => {
    const run = startPython(['-m', 'unittest', 'discover', '-s', join(examplesDir, 'tests'), '-t', examplesDir])
    const code = await run.exited
    expect(code, run.stderr()).toBe(0)
    expect(run.stderr()).toMatch(/^OK$/m)
  }, 60_000)

  it("tandem_errors.ERROR_CODES is core's errorCodes table", async () => {
    const run = startPython(['-c', 'import json, tandem_errors; print(json.dumps(tandem_errors.ERROR_CODES))'])
    expect(await run.exited, run.stderr()).toBe(0)
    const python = JSON.parse(run.lines.join('\n')) as Record<string, [string, number, boolean]>
    const core = Object.fromEntries(Object.entries(errorCodes).map(([code, info]) => [code, [info.type, info.status, info.retryable]]))
    expect(python).toEqual(core)
  })
})

describe('webhook_receiver.py verifies what @tandem/webhooks/signing signs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-receiver-'))
  const secret = generateSecret()
  const next = generateSecret() // the secret after a roll
  const out = join(dir, 'events.jsonl')
  let receiver: PythonProcess
  let rolledReceiver: PythonProcess // holds only the new secret
  let url = ''
  let rolledUrl = ''

  beforeAll(async () => {
    receiver = startPython([join(examplesDir, 'webhook_receiver.py'), '--port', '0', '--secret', secret, '--out', out])
    rolledReceiver = startPython([join(examplesDir, 'webhook_receiver.py'), '--port', '0', '--secret', next, '--out', join(dir, 'rolled.jsonl')])
    url = (await receiver.line(/^listening on /)).slice('listening on '.length)
    rolledUrl = (await rolledReceiver.line(/^listening on /)).slice('listening on '.length)
  })
  afterAll(async () => {
    await Promise.all([receiver.kill(), rolledReceiver.kill()])
    rmSync(dir, { recursive: true, force: true })
  })

  const event = (n: number) => ({
    id: `evt_${n}_0`,
    type: 'tasks.created',
    model: 'tasks',
    objectId: `t${n}`,
    data: { id: `t${n}`, title: `Task ${n}` },
    syncId: n,
  })
  const stored = () =>
    readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: string }).id)
  const post = async (target: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(target, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } }
  }

  it('a signed delivery is stored, on disk by the time the 2xx arrives; a redelivery is answered 2xx and not stored twice', async () => {
    const body = JSON.stringify({ data: [event(1), event(2)] })
    const first = await post(url, body, signedHeaders(secret, body, 'msg_first'))
    expect(first.status).toBe(200)
    expect(stored()).toEqual(['evt_1_0', 'evt_2_0']) // read right after the answer: already written
    // The sender retries (same event ids, a new attempt's timestamp), and a new batch overlaps it.
    expect((await post(url, body, signedHeaders(secret, body, 'msg_first'))).status).toBe(200)
    const overlap = JSON.stringify({ data: [event(2), event(3)] })
    expect((await post(url, overlap, signedHeaders(secret, overlap, 'msg_second'))).status).toBe(200)
    expect(stored()).toEqual(['evt_1_0', 'evt_2_0', 'evt_3_0'])
    await receiver.line(/"stored": 1, "duplicates": 1/)
  })

  it('a tampered body, a wrong secret, and a timestamp 6 minutes old or ahead get 401 and are not stored', async () => {
    const body = JSON.stringify({ data: [event(9)] })
    const headers = signedHeaders(secret, body, 'msg_bad')
    const cases = {
      tampered: await post(url, body.replace('Task 9', 'Task 0'), headers),
      'wrong secret': await post(url, body, signedHeaders(generateSecret(), body, 'msg_bad')),
      '6 minutes old': await post(url, body, signedHeaders(secret, body, 'msg_bad', Date.now() - 6 * 60_000)),
      '6 minutes ahead': await post(url, body, signedHeaders(secret, body, 'msg_bad', Date.now() + 6 * 60_000)),
      unsigned: await post(url, body, {}),
    }
    for (const [name, answer] of Object.entries(cases)) expect([name, answer.status, answer.body.error?.code]).toEqual([name, 401, 'unauthenticated'])
    expect(stored()).not.toContain('evt_9_0')
    // 4 minutes old is inside the window.
    expect((await post(url, body, signedHeaders(secret, body, 'msg_ok', Date.now() - 4 * 60_000))).status).toBe(200)
  })

  it('during a secret roll a delivery carries two v1 signatures, and a receiver holding either secret verifies it', async () => {
    const body = JSON.stringify({ data: [event(20)] })
    const headers = signedHeaders([secret, next], body, 'msg_roll')
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect((await post(url, body, headers)).status).toBe(200)
    expect((await post(rolledUrl, body, headers)).status).toBe(200)
    expect((await post(rolledUrl, body, signedHeaders(secret, body, 'msg_old_only'))).status).toBe(401)
  })
})

describe('examples/python/worker.py next to a TypeScript client', () => {
  const worker = join(examplesDir, 'worker.py')

  it('its claim blocks a TypeScript write, its stale write is refused in Python and redone, its commit appears live in TypeScript', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const ada = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'human', name: 'ada' } })
    const py = startPython([worker, '--step', '--exit-after', '1'], { TANDEM_URL: server.url, TANDEM_API_KEY: server.secretKey, WORK_SECONDS: '0' })
    try {
      await ada.ready()
      await py.line(/^following changes after syncId 0$/)
      const created = await ada.tasks.create({ id: 't1', data: { title: 'Summarize the Q3 report' } })
      await py.line(/^claimed t1$/) // found by long-poll; the notes field is now claimed, the worker waits for "go"

      // Ada may not write the claimed field...
      const refused = await ada.tasks.update({ id: 't1', data: { notes: 'mine' } }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(TandemClaimedError)
      expect((refused as TandemClaimedError).code).toBe('entity_claimed')
      // ...but she may rename the task, which makes the worker's reading of it stale.
      await ada.tasks.update({ id: 't1', data: { title: 'Summarize the Q4 report for the board' } })
      py.send('go')
      expect(await py.line(/^stale t1/)).toBe(`stale t1: title changed after syncId ${created.syncId}; redoing`)
      py.send('go')

      const notes = await until(ada, (t) => t.tasks.get('t1')?.notes, 20_000) // arrives over Ada's WebSocket
      expect(notes).toBe("7 words; starts with 'Summarize'")
      expect(await py.exited, py.stderr()).toBe(0)
      expect(py.lines.at(-1)).toMatch(/^done t1 at syncId \d+: 7 words; starts with 'Summarize'$/)
      const row = ada.tasks.get('t1')!
      expect([row.title, row.notes]).toEqual(['Summarize the Q4 report for the board', notes])
    } finally {
      await py.kill()
      await ada.dispose()
      await server.close()
    }
  }, 60_000)

  it('--once: summarizes the tasks that need it, leaves done ones and ones with notes alone, and exits', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const ada = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    try {
      await ada.ready()
      await ada.tasks.create({ id: 'a', data: { title: 'Plan the offsite' } })
      await ada.tasks.create({ id: 'b', data: { title: 'Already done', status: 'done' } })
      await ada.tasks.create({ id: 'c', data: { title: 'Has notes', notes: 'by hand' } })
      const py = startPython([worker, '--once'], { TANDEM_URL: server.url, TANDEM_API_KEY: server.secretKey, WORK_SECONDS: '0' })
      expect(await py.exited, py.stderr()).toBe(0)
      expect(py.lines.filter(Boolean)).toEqual(['claimed a', expect.stringMatching(/^done a at syncId \d+: 3 words; starts with 'Plan'$/)])
      const rows = await ada.tasks.list({ orderBy: { id: 'asc' } })
      expect(rows.map((r) => r.notes ?? null)).toEqual(["3 words; starts with 'Plan'", null, 'by hand'])
    } finally {
      await ada.dispose()
      await server.close()
    }
  })

  it('reacts to webhook events: skips a task someone holds, takes it up when the claim.released event arrives', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const ada = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'human', name: 'ada' } })
    const dir = mkdtempSync(join(tmpdir(), 'tandem-worker-'))
    const secret = generateSecret()
    const py = startPython([worker, '--port', '0', '--secret', secret, '--events', join(dir, 'events.jsonl'), '--exit-after', '1'], {
      TANDEM_URL: server.url,
      TANDEM_API_KEY: server.secretKey,
      WORK_SECONDS: '0',
    })
    // Deliveries as the webhooks plugin makes them (spec §8), built here from the change log.
    const past = { create: 'created', update: 'updated', delete: 'deleted' }
    const deliver = async (after: number) => {
      const log = (await (await fetch(`${server.url}/v1/changes?after=${after}`, { headers: { authorization: `Bearer ${server.secretKey}` } })).json()) as {
        data: Array<{
          syncId: number
          actor: unknown
          stale: boolean
          createdAt: string
          changes?: Array<{ model: string; id: string; op: string; data: unknown; previous: unknown }>
          claim?: { event: string; state: { target: { model: string; id: string } } }
        }>
      }
      const events = log.data.flatMap((e) => {
        const base = { syncId: e.syncId, actor: e.actor, stale: e.stale, createdAt: e.createdAt }
        if (e.claim)
          return [
            {
              id: `evt_${e.syncId}_0`,
              type: `${e.claim.state.target.model}.claim.${e.claim.event}`,
              model: e.claim.state.target.model,
              objectId: e.claim.state.target.id,
              data: e.claim.state,
              previous: null,
              ...base,
            },
          ]
        return e.changes!.map((c, i) => ({
          id: `evt_${e.syncId}_${i}`,
          type: `${c.model}.${past[c.op as keyof typeof past]}`,
          model: c.model,
          objectId: c.id,
          data: c.data,
          previous: c.previous,
          ...base,
        }))
      })
      const body = JSON.stringify({ data: events })
      const res = await fetch(listening, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) } })
      expect(res.status).toBe(200)
      return log.data.at(-1)!.syncId
    }
    let listening = ''
    try {
      await ada.ready()
      listening = (await py.line(/^listening on /)).slice('listening on '.length)
      await ada.tasks.create({ id: 'w1', data: { title: 'Draft the release notes' } })
      const held = await ada.tasks.claim({ id: 'w1', action: 'editing' })
      let cursor = await deliver(0) // tasks.created and tasks.claim.granted
      await py.line(/^skip w1: held by human ada$/)
      await held.release()
      cursor = await deliver(cursor) // tasks.claim.released
      expect(await until(ada, (t) => t.tasks.get('w1')?.notes, 20_000)).toBe("4 words; starts with 'Draft'")
      expect(await py.exited, py.stderr()).toBe(0)
      expect(py.lines.slice(1)).toEqual([
        'skip w1: held by human ada',
        'claimed w1',
        expect.stringMatching(/^done w1 at syncId \d+: 4 words; starts with 'Draft'$/),
      ])
      const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean)
      // (the worker's own claim.granted may be in the second delivery too, depending on timing)
      expect(events.map((l) => (JSON.parse(l) as { type: string }).type).slice(0, 3)).toEqual(['tasks.created', 'tasks.claim.granted', 'tasks.claim.released'])
    } finally {
      await py.kill()
      await ada.dispose()
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
