import Tandem, { httpTransport } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { startChaosProxy } from './chaos-proxy.ts'
import { defer, setup } from './helpers.ts'

const create = (id: string, title: string) => ({ operations: [{ op: 'create', model: 'tasks', id, data: { title } }] })

describe('POST /v1/commits/batch', () => {
  it('applies the commits in order, each atomic on its own with its own result; a refused one stops nothing', async () => {
    const { http } = await setup()
    const res = await http('POST', '/v1/commits/batch', {
      commits: [
        create('a', 'first'),
        { operations: [create('b', 'kept?').operations[0], { op: 'create', model: 'tasks', id: 'c', data: { title: '' } }] },
        { operations: [{ op: 'update', model: 'tasks', id: 'a', data: { status: 'done' } }] },
        { operations: [{ op: 'update', model: 'nope', id: 'a', data: {} }] },
      ],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.object).toBe('commit_batch')
    const [first, second, third, fourth] = res.body.results
    expect(first).toMatchObject({ object: 'commit', rows: [{ id: 'a', title: 'first' }] })
    // The whole second commit is refused (its param is relative to that commit), so 'b' does not exist either.
    expect(second).toMatchObject({ object: 'error', status: 400, error: { code: 'invalid_data', param: 'operations[1].title' } })
    expect(third).toMatchObject({ object: 'commit', rows: [{ id: 'a', status: 'done' }] })
    expect(third.syncId).toBeGreaterThan(first.syncId)
    expect(fourth).toMatchObject({ object: 'error', status: 400, error: { code: 'unknown_model' } })
    expect((await http('GET', '/v1/models/tasks/b')).status).toBe(404)
  })

  it('keeps each commit’s idempotency key: a replayed batch returns the first results, a reused key with another body is refused alone', async () => {
    const { http } = await setup()
    const batch = {
      commits: [
        { ...create('k1', 'one'), idempotencyKey: 'key-1' },
        { ...create('k2', 'two'), idempotencyKey: 'key-2' },
      ],
    }
    const first = await http('POST', '/v1/commits/batch', batch)
    const replay = await http('POST', '/v1/commits/batch', batch)
    expect(replay.body.results).toEqual(first.body.results)
    const reused = await http('POST', '/v1/commits/batch', { commits: [{ ...create('k3', 'other'), idempotencyKey: 'key-1' }, create('k4', 'four')] })
    expect(reused.body.results[0]).toMatchObject({ object: 'error', status: 409, error: { code: 'idempotency_key_reused' } })
    expect(reused.body.results[1]).toMatchObject({ object: 'commit' })
    const log = await http('GET', '/v1/changes?after=0')
    expect(log.body.data.flatMap((e: { changes: Array<{ id: string }> }) => e.changes.map((c) => c.id))).toEqual(['k1', 'k2', 'k4'])
  })

  it('refuses a malformed batch as a whole, with a typed error, and applies nothing', async () => {
    const { http } = await setup()
    const tooMany = { commits: Array.from({ length: 101 }, (_, i) => create(`t${i}`, 'x')) }
    for (const [body, param] of [
      [{ commits: [] }, 'commits'],
      [tooMany, 'commits'],
      [{ commits: [{ operations: 'nope' }] }, 'commits[0].operations'],
      [{ commits: [create('x', 'y')], extra: 1 }, undefined],
      ['not json', undefined],
    ] as const) {
      const res = await http('POST', '/v1/commits/batch', body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(res.body.error.type).toBe('TandemValidationError')
      if (param) expect(res.body.error.param).toBe(param)
    }
    expect((await http('GET', '/v1/changes?after=0')).body.data).toEqual([])
  })

  it('counts every commit of a batch against the rate limit', async () => {
    const { server, http } = await setup({ limits: { rateLimit: { secretPerSecond: 1, secretBurst: 5 } } })
    const res = await http('POST', '/v1/commits/batch', { commits: Array.from({ length: 10 }, (_, i) => create(`r${i}`, 'x')) })
    expect(res.status).toBe(429)
    expect(res.body.error.code).toBe('rate_limited')
    expect(server.url).toBeTruthy()
  })
})

describe('long-poll client batching', () => {
  it('queued writes leave in batches, through a proxy that cuts connections: every write lands once, in the order made', async () => {
    const { server, http } = await setup()
    const proxy = await startChaosProxy(server.port, 0.05, 20261203)
    defer(() => proxy.close())
    const requests = { single: 0, batch: 0 }
    const counting: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      if (url.endsWith('/v1/commits/batch')) requests.batch++
      else if (url.endsWith('/v1/commits')) requests.single++
      return fetch(input, init)
    }
    const writer = Tandem({
      schema: (await import('./fixtures.ts')).schema,
      baseURL: proxy.url,
      apiKey: server.secretKey,
      transport: httpTransport({ fetch: counting }),
    })
    defer(() => writer.dispose())
    await writer.ready()
    const rows = 10
    for (let r = 0; r < rows; r++) await writer.tasks.create({ id: `row${r}`, data: { title: `row ${r}`, points: 0 } })
    const total = 600
    const confirmed: Promise<unknown>[] = []
    for (let i = 1; i <= total; i++) {
      confirmed.push(writer.tasks.update({ id: `row${i % rows}`, data: { points: i }, wait: 'queued' }))
      // Let some batches leave while writes keep coming.
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await Promise.all(confirmed)
    await until(writer, (t) => t.pendingCount() === 0, 60_000)
    proxy.calm()

    const points: number[] = []
    for (let after = 0; ;) {
      const page = await http('GET', `/v1/changes?after=${after}&limit=1000`)
      for (const e of page.body.data) for (const ch of e.changes) if (ch.op === 'update') points.push(ch.data.points)
      after = page.body.cursor
      if (!page.body.hasMore) break
    }
    // Exactly once each, and in the order the client made them.
    expect(points).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(requests.batch).toBeGreaterThan(0)
    expect(requests.batch + requests.single).toBeLessThan(total)
    expect(proxy.drops).toBeGreaterThan(0)
    for (let r = 0; r < rows; r++) {
      const last = Math.max(...points.filter((p) => p % rows === r))
      expect(writer.tasks.get(`row${r}`)!.points).toBe(last)
    }
  }, 120_000)
})
