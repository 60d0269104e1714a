/** Runs on a real server: `runId` on commits, `GET /v1/runs/:runId`, `POST /v1/runs/:runId/revert`. */
import { TandemValidationError } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { memoryStore } from '@tandem/core/server'
import { setup } from './helpers.ts'

describe('reverting a run', () => {
  it('a run of 50 writes is reverted except the one row a person changed meanwhile, which is reported and left alone', async () => {
    const { client, http } = await setup()
    const human = client({ participant: { kind: 'human', name: 'Ada' } })
    const agent = client({ participant: { kind: 'agent', name: 'triage' } })
    await Promise.all([human.ready(), agent.ready()])
    const ids = Array.from({ length: 50 }, (_, i) => `t${i}`)
    for (const id of ids) await human.tasks.create({ id, data: { title: `task ${id}`, status: 'todo' } })

    const run = agent.withRun('run_triage_1')
    for (const id of ids) await run.tasks.update({ id, data: { status: 'doing', assignee: 'bot' } })
    await until(human, (t) => t.tasks.get('t49')?.status === 'doing')
    await human.tasks.update({ id: 't7', data: { status: 'done' } })

    const revert = await human.runs.revert('run_triage_1')
    expect(revert).toMatchObject({ object: 'run_revert', runId: 'run_triage_1' })
    expect(revert.syncId).toBeGreaterThan(0)
    // Field level: on t7 the person changed `status` only, so the run's `assignee` is still put back.
    expect(revert.conflicts).toEqual([
      { model: 'tasks', id: 't7', field: 'status', reason: 'overwritten', syncId: expect.any(Number), actor: expect.objectContaining({ kind: 'human' }) },
    ])
    expect(revert.reverted).toHaveLength(50)
    expect(revert.reverted.find((r) => r.id === 't7')).toEqual({ model: 'tasks', id: 't7', op: 'update', fields: ['assignee'] })
    expect(revert.reverted.find((r) => r.id === 't0')).toEqual({ model: 'tasks', id: 't0', op: 'update', fields: ['status', 'assignee'] })

    const rows = (await http('GET', '/v1/models/tasks?limit=100')).body.data as Array<{ id: string; status: string; assignee?: string | null }>
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const id of ids.filter((i) => i !== 't7')) expect(byId.get(id)).toMatchObject({ status: 'todo', assignee: null })
    expect(byId.get('t7')).toMatchObject({ status: 'done', assignee: null })

    // One commit did it, tagged as the run's revert.
    const page = (await http('GET', '/v1/runs/run_triage_1?limit=1000')).body
    expect(page.data.at(-1)).toMatchObject({ syncId: revert.syncId, runId: 'run_triage_1', runRevert: true })
    expect(page.data.at(-1).changes).toHaveLength(50)

    // Twice is a no-op: nothing of the run is left after its revert.
    expect(await human.runs.revert('run_triage_1')).toEqual({ object: 'run_revert', runId: 'run_triage_1', syncId: null, reverted: [], conflicts: [] })
  })

  it('create → revert deletes; delete → revert re-creates with the old data; nothing touched by others is lost', async () => {
    const { client, http } = await setup()
    const a = client()
    await a.ready()
    await a.tasks.create({ id: 'keep', data: { title: 'Keep me', points: 3, assignee: 'ada' } })
    await a.tasks.create({ id: 'new', data: { title: 'Made by the run' }, runId: 'run_x' })
    await a.tasks.update({ id: 'keep', data: { title: 'Renamed by the run' }, runId: 'run_x' })
    await a.tasks.delete({ id: 'keep', runId: 'run_x' })
    const result = await a.runs.revert('run_x')
    expect(result.conflicts).toEqual([])
    expect(result.reverted).toEqual([
      { model: 'tasks', id: 'new', op: 'delete' },
      { model: 'tasks', id: 'keep', op: 'create' },
    ])
    expect((await http('GET', '/v1/models/tasks/new')).status).toBe(404)
    expect((await http('GET', '/v1/models/tasks/keep')).body).toMatchObject({ title: 'Keep me', points: 3, assignee: 'ada' })
  })

  it('a row the run created and someone else then edited is reported, not deleted; a claimed row is reported, not reverted', async () => {
    const { client, http } = await setup()
    const agent = client({ participant: { kind: 'agent' } })
    const human = client({ participant: { kind: 'human' } })
    await Promise.all([agent.ready(), human.ready()])
    await human.tasks.create({ id: 'held', data: { title: 'Held', points: 1 } })
    await agent.tasks.create({ id: 'made', data: { title: 'By the run' }, runId: 'run_y' })
    await agent.tasks.update({ id: 'held', data: { points: 5 }, runId: 'run_y' })
    await until(human, (t) => t.tasks.get('made'))
    await human.tasks.update({ id: 'made', data: { points: 1 } })
    await using claim = await human.tasks.claim({ id: 'held', action: 'reviewing' })
    const result = await agent.runs.revert('run_y')
    expect(result.syncId).toBeNull()
    expect(result.reverted).toEqual([])
    expect(result.conflicts).toEqual([
      { model: 'tasks', id: 'made', reason: 'overwritten', syncId: expect.any(Number), actor: expect.objectContaining({ kind: 'human' }) },
      { model: 'tasks', id: 'held', reason: 'claimed', heldBy: expect.objectContaining({ kind: 'human' }) },
    ])
    expect((await http('GET', '/v1/models/tasks/held')).body).toMatchObject({ points: 5 })
    await claim.release()
    expect((await agent.runs.revert('run_y')).reverted).toEqual([{ model: 'tasks', id: 'held', op: 'update', fields: ['points'] }])
  })

  it('GET /v1/runs/:runId lists the run’s commits in log order, page by page; others’ commits are not in it', async () => {
    const { http } = await setup()
    const syncIds: number[] = []
    for (let i = 0; i < 7; i++) {
      const body = { operations: [{ op: 'create', model: 'tasks', id: `r${i}`, data: { title: `r${i}` } }], runId: 'run.paged:1' }
      syncIds.push((await http('POST', '/v1/commits', body)).body.syncId)
      await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: 'not in the run' } }] })
    }
    const seen: number[] = []
    let after = 0
    for (;;) {
      const page = (await http('GET', `/v1/runs/run.paged:1?limit=3&after=${after}`)).body
      expect(page).toMatchObject({ object: 'list', runId: 'run.paged:1' })
      seen.push(...page.data.map((e: { syncId: number }) => e.syncId))
      for (const e of page.data) expect(e).toMatchObject({ runId: 'run.paged:1', changes: [{ model: 'tasks', op: 'create' }] })
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull()
        break
      }
      after = page.nextCursor
    }
    expect(seen).toEqual(syncIds)
  })

  it('refuses a bad runId as invalid_data (commit over HTTP, the client, the routes) and an unknown run as not_found', async () => {
    const { client, http } = await setup()
    for (const runId of ['', 'has space', 'x'.repeat(129), 'slash/no', 'ünï']) {
      const res = await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: 't' } }], runId })
      expect(res.status).toBe(400)
      expect(res.body.error).toMatchObject({ type: 'TandemValidationError', code: 'invalid_data', param: 'runId' })
    }
    const bad = await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: 't' } }], runId: 42 })
    expect(bad.body.error).toMatchObject({ type: 'TandemValidationError', param: 'runId' })
    expect((await http('GET', '/v1/runs/bad%20id')).body.error).toMatchObject({ code: 'invalid_data', param: 'runId' })
    expect((await http('POST', '/v1/runs/bad%20id/revert')).body.error).toMatchObject({ code: 'invalid_data', param: 'runId' })
    expect((await http('POST', '/v1/runs/run_ok/revert', { unknown: true })).body.error).toMatchObject({ code: 'invalid_request' })
    const a = client()
    await a.ready()
    await expect(a.tasks.create({ data: { title: 't' }, runId: 'no spaces' })).rejects.toThrow(TandemValidationError)
    expect(() => a.withRun('no spaces')).toThrow(TandemValidationError)
    for (const path of ['/v1/runs/run_unknown', '/v1/runs/run_unknown/revert']) {
      const res = await http(path.endsWith('revert') ? 'POST' : 'GET', path)
      expect(res.status).toBe(404)
      expect(res.body.error).toMatchObject({ type: 'TandemNotFoundError', code: 'not_found', param: 'runId' })
    }
  })

  it('a session token sees and reverts only the rows in its groups: another group’s run is not_found', async () => {
    const { http, server } = await setup()
    const tokenFor = async (groups: string[]) => (await http('POST', '/v1/sessions', { userId: `u_${groups[0]}`, groups })).body.token as string
    const as = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: (await res.json()) as any }
    }
    const acme = await tokenFor(['org:acme'])
    const globex = await tokenFor(['org:globex'])
    await as(acme, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'a1', data: { title: 'acme' } }], runId: 'run_shared' })
    await as(globex, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'g1', data: { title: 'globex' } }], runId: 'run_acme_only' })
    await as(acme, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'a2', data: { title: 'acme' } }], runId: 'run_acme_only' })
    // acme's token: globex's part of a run is invisible; a run wholly in globex does not exist.
    await as(globex, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'g2', data: { title: 'globex' } }], runId: 'run_globex' })
    expect((await as(acme, 'GET', '/v1/runs/run_globex')).status).toBe(404)
    expect((await as(acme, 'POST', '/v1/runs/run_globex/revert')).status).toBe(404)
    const listed = (await as(acme, 'GET', '/v1/runs/run_acme_only')).body
    expect(listed.data.flatMap((e: any) => e.changes.map((c: any) => c.id))).toEqual(['a2'])
    const reverted = (await as(acme, 'POST', '/v1/runs/run_acme_only/revert')).body
    expect(reverted.reverted).toEqual([{ model: 'tasks', id: 'a2', op: 'delete' }])
    expect((await http('GET', '/v1/models/tasks/g1')).status).toBe(200)
    expect((await http('GET', '/v1/models/tasks/a2')).status).toBe(404)
  })

  it('a run whose history log compaction removed is refused as history_compacted, not half reverted', async () => {
    const store = memoryStore()
    let compacted: () => void = () => undefined
    const compaction = new Promise<void>((resolve) => (compacted = resolve))
    const compact = store.compactLog.bind(store)
    store.compactLog = async (through) => {
      await compact(through)
      if (through > 1) compacted()
    }
    const { http } = await setup({ logRetention: 10, store })
    await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'old', data: { title: 'old' } }], runId: 'run_old' })
    for (let i = 0; i < 30; i++) await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', data: { title: `filler ${i}` } }] })
    await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'late', data: { title: 'late' } }], runId: 'run_old' })
    await compaction
    expect((await http('GET', '/v1/runs/run_old')).body.data.map((e: { changes: Array<{ id: string }> }) => e.changes[0]!.id)).toEqual(['late'])
    const res = await http('POST', '/v1/runs/run_old/revert')
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ type: 'TandemConflictError', code: 'history_compacted', param: 'runId' })
    expect((await http('GET', '/v1/models/tasks/late')).status).toBe(200)
  })
})
