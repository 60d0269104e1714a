import { describe, expect, it } from 'vitest'
import { setup } from './helpers.ts'

const create = (data: unknown, extra: Record<string, unknown> = {}) => ({ operations: [{ op: 'create', model: 'tasks', data, ...extra }] })

describe('HTTP API', () => {
  it('commits atomically and reads rows back', async () => {
    const { http } = await setup()
    const res = await http('POST', '/v1/commits', {
      operations: [
        { op: 'create', model: 'tasks', id: 't1', data: { title: 'One' } },
        { op: 'create', model: 'tasks', id: 't2', data: { title: 'Two', points: 3 } },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ object: 'commit', syncId: 1, stale: false })
    expect(res.body.rows.map((r: any) => r.id)).toEqual(['t1', 't2'])
    const one = await http('GET', '/v1/models/tasks/t1')
    expect(one.body).toMatchObject({ id: 't1', title: 'One', status: 'todo', syncId: 1 })
    const list = await http('GET', `/v1/models/tasks?where=${encodeURIComponent(JSON.stringify({ points: 3 }))}`)
    expect(list.body).toMatchObject({ object: 'list', hasMore: false, nextCursor: null })
    expect(list.body.data.map((r: any) => r.id)).toEqual(['t2'])
  })

  it('one failing operation rolls back the whole commit', async () => {
    const { http } = await setup()
    const res = await http('POST', '/v1/commits', {
      operations: [
        { op: 'create', model: 'tasks', id: 'ok', data: { title: 'fine' } },
        { op: 'update', model: 'tasks', id: 'missing', data: { title: 'x' } },
      ],
    })
    expect(res.status).toBe(404)
    expect(res.body.error).toMatchObject({ type: 'TandemNotFoundError', code: 'not_found' })
    expect((await http('GET', '/v1/models/tasks/ok')).status).toBe(404)
    expect((await http('GET', '/v1/changes')).body.syncId).toBe(0)
  })

  it('names the input at fault in one form, operations[i].field, for shape, data and row errors alike', async () => {
    const { http } = await setup()
    const two = (second: Record<string, unknown>) => ({ operations: [{ op: 'create', model: 'tasks', id: 'a', data: { title: 'ok' } }, second] })
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ op: 'create', model: 'tasks', data: { title: 'x' }, onStale: 'sometimes' }, 'operations[1].onStale'],
      [{ op: 'create', model: 'tasks', data: { title: '' } }, 'operations[1].title'],
      [{ op: 'create', model: 'tasks', data: { title: 'x', nope: 1 } }, 'operations[1].nope'],
      [{ op: 'create', model: 'nope', data: {} }, 'operations[1].model'],
      [{ op: 'update', model: 'tasks', data: { title: 'x' } }, 'operations[1].id'],
      [{ op: 'update', model: 'tasks', id: 'missing', data: { title: 'x' } }, 'operations[1].id'],
      [{ op: 'create', model: 'tasks', id: 'a', data: { title: 'again' } }, 'operations[1].id'],
    ]
    for (const [op, param] of cases) {
      const res = await http('POST', '/v1/commits', two(op))
      expect(res.body.error?.param, JSON.stringify(op)).toBe(param)
    }
    expect((await http('GET', '/v1/changes')).body.syncId).toBe(0)
  })

  it('pages lists with a cursor in orderBy order', async () => {
    const { http } = await setup()
    const operations = Array.from({ length: 7 }, (_, i) => ({ op: 'create', model: 'tasks', id: `p${i}`, data: { title: `T${i}`, points: i % 3 } }))
    await http('POST', '/v1/commits', { operations })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const q: string = `orderBy=${encodeURIComponent(JSON.stringify({ points: 'desc' }))}&limit=3${cursor ? `&cursor=${cursor}` : ''}`
      const page = await http('GET', `/v1/models/tasks?${q}`)
      expect(page.status).toBe(200)
      seen.push(...page.body.data.map((r: any) => r.id))
      cursor = page.body.nextCursor
    } while (cursor)
    expect(seen).toEqual(['p5', 'p2', 'p4', 'p1', 'p6', 'p3', 'p0'])
  })

  it('long-polls /v1/changes until a commit lands', async () => {
    const { http } = await setup()
    const waiting = http('GET', '/v1/changes?after=0&wait=20')
    await http('POST', '/v1/commits', create({ title: 'wake up' }))
    const res = await waiting
    expect(res.body.data).toHaveLength(1)
    expect(res.body.data[0]).toMatchObject({ syncId: 1, changes: [{ model: 'tasks', op: 'create' }] })
    expect(res.body.cursor).toBe(1)
  })

  describe('bad input gets a typed error and writes nothing', () => {
    const cases: Array<[string, () => [string, string, unknown, Record<string, string>?], number, string, string]> = [
      ['invalid data', () => ['POST', '/v1/commits', create({ title: '' })], 400, 'TandemValidationError', 'invalid_data'],
      ['wrong enum', () => ['POST', '/v1/commits', create({ title: 'x', status: 'later' })], 400, 'TandemValidationError', 'invalid_data'],
      [
        'unknown model',
        () => ['POST', '/v1/commits', { operations: [{ op: 'create', model: 'nope', data: {} }] }],
        400,
        'TandemValidationError',
        'unknown_model',
      ],
      ['unknown field', () => ['POST', '/v1/commits', create({ title: 'x', colour: 'red' })], 400, 'TandemValidationError', 'unknown_field'],
      ['system field', () => ['POST', '/v1/commits', create({ title: 'x', syncId: 9 })], 400, 'TandemValidationError', 'unknown_field'],
      ['malformed JSON', () => ['POST', '/v1/commits', '{"operations": [', {}], 400, 'TandemValidationError', 'invalid_json'],
      ['wrong body shape', () => ['POST', '/v1/commits', { operations: 'all of them' }], 400, 'TandemValidationError', 'invalid_request'],
      ['empty commit', () => ['POST', '/v1/commits', { operations: [] }], 400, 'TandemValidationError', 'invalid_request'],
      ['bad op', () => ['POST', '/v1/commits', { operations: [{ op: 'upsert', model: 'tasks' }] }], 400, 'TandemValidationError', 'invalid_request'],
      ['oversized body', () => ['POST', '/v1/commits', create({ title: 'x'.repeat(2 << 20) })], 413, 'TandemValidationError', 'payload_too_large'],
      [
        'update without id',
        () => ['POST', '/v1/commits', { operations: [{ op: 'update', model: 'tasks', data: { title: 'y' } }] }],
        400,
        'TandemValidationError',
        'invalid_request',
      ],
      [
        'bad id',
        () => ['POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'a b', data: { title: 'y' } }] }],
        400,
        'TandemValidationError',
        'invalid_data',
      ],
      [
        'where: wrong type',
        () => ['GET', `/v1/models/tasks?where=${encodeURIComponent('{"points":"three"}')}`, undefined],
        400,
        'TandemValidationError',
        'invalid_data',
      ],
      [
        'where: unknown field',
        () => ['GET', `/v1/models/tasks?where=${encodeURIComponent('{"colour":"red"}')}`, undefined],
        400,
        'TandemValidationError',
        'unknown_field',
      ],
      [
        'where: bad operator',
        () => ['GET', `/v1/models/tasks?where=${encodeURIComponent('{"points":{"like":1}}')}`, undefined],
        400,
        'TandemValidationError',
        'invalid_data',
      ],
      [
        'where: fractional bound on an integer',
        () => ['GET', `/v1/models/tasks?where=${encodeURIComponent('{"points":{"gt":2.5}}')}`, undefined],
        400,
        'TandemValidationError',
        'invalid_data',
      ],
      [
        'where: range on a boolean-like enum',
        () => ['GET', `/v1/models/tasks?where=${encodeURIComponent('{"title":{"gt":3}}')}`, undefined],
        400,
        'TandemValidationError',
        'invalid_data',
      ],
      ['where: malformed JSON', () => ['GET', '/v1/models/tasks?where={', undefined], 400, 'TandemValidationError', 'invalid_json'],
      ['limit out of range', () => ['GET', '/v1/models/tasks?limit=0', undefined], 400, 'TandemValidationError', 'invalid_request'],
      ['bad cursor', () => ['GET', '/v1/models/tasks?cursor=zzz', undefined], 400, 'TandemValidationError', 'invalid_request'],
      ['unknown model on read', () => ['GET', '/v1/models/nope/1', undefined], 400, 'TandemValidationError', 'unknown_model'],
      ['missing row', () => ['GET', '/v1/models/tasks/none', undefined], 404, 'TandemNotFoundError', 'not_found'],
      ['no credentials', () => ['GET', '/v1/models/tasks', undefined, { authorization: '' }], 401, 'TandemAuthError', 'unauthenticated'],
      ['wrong key', () => ['GET', '/v1/models/tasks', undefined, { authorization: 'Bearer sk_test_wrong' }], 401, 'TandemAuthError', 'unauthenticated'],
      ['unknown route', () => ['GET', '/v1/nothing', undefined], 404, 'TandemNotFoundError', 'not_found'],
    ]
    it.each(cases)('%s', async (_name, req, status, type, code) => {
      const { http } = await setup()
      const [method, path, body, headers] = req()
      const res = await http(method, path, body, headers)
      expect(res.status).toBe(status)
      expect(res.body.error).toMatchObject({ type, code })
      expect(typeof res.body.error.message).toBe('string')
      const health = await http('GET', '/healthz')
      expect(health.body).toMatchObject({ ok: true, syncId: 0 })
    })
  })

  describe('Idempotency-Key', () => {
    it('same key and body → one commit, same result', async () => {
      const { http } = await setup()
      const body = create({ title: 'once' }, { id: 'idem-1' })
      const first = await http('POST', '/v1/commits', body, { 'idempotency-key': 'k1' })
      const second = await http('POST', '/v1/commits', body, { 'idempotency-key': 'k1' })
      expect(first.status).toBe(200)
      expect(second.status).toBe(200)
      expect(second.body).toEqual(first.body)
      const log = await http('GET', '/v1/changes')
      expect(log.body.data).toHaveLength(1)
    })

    it('same key with another body → 409 idempotency_key_reused', async () => {
      const { http } = await setup()
      await http('POST', '/v1/commits', create({ title: 'a' }), { 'idempotency-key': 'k2' })
      const res = await http('POST', '/v1/commits', create({ title: 'b' }), { 'idempotency-key': 'k2' })
      expect(res.status).toBe(409)
      expect(res.body.error).toMatchObject({ type: 'TandemConflictError', code: 'idempotency_key_reused' })
      expect((await http('GET', '/v1/changes')).body.data).toHaveLength(1)
    })

    it('concurrent duplicates still commit once', async () => {
      const { http } = await setup()
      const body = create({ title: 'race' })
      const results = await Promise.all(Array.from({ length: 10 }, () => http('POST', '/v1/commits', body, { 'idempotency-key': 'k3' })))
      expect(new Set(results.map((r) => r.body.syncId))).toEqual(new Set([1]))
      expect((await http('GET', '/v1/changes')).body.data).toHaveLength(1)
    })
  })
})
