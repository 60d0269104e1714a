import { describe, expect, it } from 'vitest'
import { TandemClaimedError } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { claimCoordinators, setup as baseSetup } from './helpers.ts'

// Every claims test runs against the in-process coordinator and the store-backed one (the one several nodes share).
const coordinators = claimCoordinators

describe.each(coordinators)('claims (%s)', (_name, configure) => {
  const setup = (o: Parameters<typeof configure>[0] = {}) => baseSetup(configure(o))
  it('spec §12: the holder writes, others see who holds it and are refused, the waiter gets the fresh row', async () => {
    const { client } = await setup()
    const a = client({ participant: { kind: 'agent', name: 'forecaster' } })
    const b = client({ participant: { kind: 'human', name: 'ada' } })
    await Promise.all([a.ready(), b.ready()])
    const created = await a.weatherReports.create({ data: { location: 'Stockholm', status: 'pending' } })
    await until(b, (t) => t.weatherReports.get(created.id))

    let waiting: Promise<unknown> | undefined
    {
      await using claim = await a.weatherReports.claim({ id: created.id, action: 'forecasting' })
      expect(claim.data).toMatchObject({ id: created.id, status: 'pending' })
      const state = await until(b, (t) => t.weatherReports.claim.state({ id: created.id }))
      expect(state).toMatchObject({ status: 'active', action: 'forecasting', heldBy: { kind: 'agent', name: 'forecaster' }, position: 0 })

      const refused = b.weatherReports.update({ id: created.id, data: { status: 'ready' } })
      await expect(refused).rejects.toBeInstanceOf(TandemClaimedError)
      await expect(refused).rejects.toMatchObject({ code: 'entity_claimed', message: expect.stringContaining('held by agent forecaster: forecasting') })
      expect(b.weatherReports.get(created.id)?.status).toBe('pending') // rolled back

      waiting = b.weatherReports.claim({ id: created.id, action: 'reviewing' })
      await until(a, (t) => t.weatherReports.claim.queue({ id: created.id }).length === 1)
      expect(a.weatherReports.claim.queue({ id: created.id })[0]).toMatchObject({ status: 'queued', position: 1, heldBy: { name: 'ada' } })

      await a.weatherReports.update({ id: claim.data.id, data: { status: 'ready', forecast: 'Light rain, 13C' } })
    }
    const bClaim = (await waiting) as Awaited<ReturnType<typeof b.weatherReports.claim>>
    expect(bClaim.data).toMatchObject({ status: 'ready', forecast: 'Light rain, 13C' })
    await until(a, (t) => t.weatherReports.claim.state({ id: created.id })?.heldBy.name === 'ada')
    await expect(a.weatherReports.update({ id: created.id, data: { forecast: 'x' } })).rejects.toMatchObject({ code: 'entity_claimed' })
    await bClaim.release()
    await until(a, (t) => t.weatherReports.claim.state({ id: created.id }) === null)
    await a.weatherReports.update({ id: created.id, data: { forecast: 'sunny' } })
  })

  it('five contenders are granted strictly in arrival order, each seeing its predecessor’s write', async () => {
    const { client } = await setup()
    const observer = client()
    const contenders = Array.from({ length: 5 }, (_, i) => client({ participant: { kind: 'agent', name: `c${i}` } }))
    await Promise.all([observer.ready(), ...contenders.map((c) => c.ready())])
    await observer.tasks.create({ id: 'hot', data: { title: 'start', points: 0 } })
    const order: number[] = []
    const runs: Promise<void>[] = []
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[i]!
      runs.push(
        (async () => {
          const claim = await c.tasks.claim({ id: 'hot', action: `turn ${i}` })
          order.push(i)
          expect(claim.data['points']).toBe(i) // predecessor's write is in the re-read row
          await c.tasks.update({ id: 'hot', data: { points: i + 1, title: `by ${i}` } })
          await claim.release()
        })(),
      )
      // The next contender joins only once this one is in the line (holder or waiter).
      await until(observer, (t) => t.tasks.claim.queue({ id: 'hot' }).length + (t.tasks.claim.state({ id: 'hot' }) ? 1 : 0) >= i + 1 || order.length > i)
    }
    await Promise.all(runs)
    expect(order).toEqual([0, 1, 2, 3, 4])
    await until(observer, (t) => t.tasks.get('hot')?.points === 5)
  })

  it('wait: false, maxQueueDepth and timeoutMs fail with their codes', async () => {
    const { client } = await setup()
    const [a, b, c] = [client(), client(), client()]
    await Promise.all([a.ready(), b.ready(), c.ready()])
    await a.tasks.create({ id: 'r', data: { title: 'x' } })
    const held = await a.tasks.claim({ id: 'r', action: 'editing' })
    await expect(b.tasks.claim({ id: 'r', wait: false })).rejects.toMatchObject({ type: 'TandemClaimedError', code: 'entity_claimed' })
    await expect(b.tasks.claim({ id: 'r', maxQueueDepth: 1 })).rejects.toMatchObject({ code: 'queue_too_deep' })
    await expect(b.tasks.claim({ id: 'r', timeoutMs: 100 })).rejects.toMatchObject({ code: 'grant_timeout' })
    const queued = b.tasks.claim({ id: 'r' })
    await until(c, (t) => t.tasks.claim.queue({ id: 'r' }).length === 1)
    await expect(c.tasks.claim({ id: 'r', maxQueueDepth: 2 })).rejects.toMatchObject({ code: 'queue_too_deep' })
    await held.release()
    await (await queued).release()
    await expect(b.tasks.claim({ id: 'missing' })).rejects.toMatchObject({ code: 'not_found' })
    await expect(b.tasks.claim({ id: 'r', field: 'nope' as never })).rejects.toMatchObject({ code: 'unknown_field' })
  })

  it('field claims coexist; a whole-row claim conflicts with them', async () => {
    const { client } = await setup()
    const [a, b, c] = [client(), client(), client()]
    await Promise.all([a.ready(), b.ready(), c.ready()])
    await a.tasks.create({ id: 'f', data: { title: 'x', points: 1 } })
    const title = await a.tasks.claim({ id: 'f', field: 'title', action: 'renaming' })
    const points = await b.tasks.claim({ id: 'f', field: 'points', action: 'estimating' })
    await a.tasks.update({ id: 'f', data: { title: 'renamed' } })
    await b.tasks.update({ id: 'f', data: { points: 8 } })
    await expect(b.tasks.update({ id: 'f', data: { title: 'mine' } })).rejects.toMatchObject({ code: 'entity_claimed' })
    await expect(c.tasks.claim({ id: 'f', wait: false })).rejects.toMatchObject({ code: 'entity_claimed' })
    const whole = c.tasks.claim({ id: 'f', action: 'archiving' })
    await until(a, (t) => t.tasks.claim.queue({ id: 'f' }).length === 1)
    await title.release()
    await points.release()
    const w = await whole
    expect(w.data).toMatchObject({ title: 'renamed', points: 8 })
    await w.release()
  })

  it('a write under an ended claim is refused with claim_lost, even when it arrives late', async () => {
    const { client, http } = await setup({ claims: { defaultTtlMs: 200 } })
    const a = client()
    await a.ready()
    await a.tasks.create({ id: 'ttl', data: { title: 'x' } })
    const res = await http('POST', '/v1/claims', { model: 'tasks', id: 'ttl', action: 'slow agent', ttl: 150 })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'active', token: expect.stringMatching(/^ct_/), data: { id: 'ttl' } })
    // No heartbeat: the lease lapses and someone else takes over.
    const next = await a.tasks.claim({ id: 'ttl', action: 'fresh agent' })
    const late = await http('POST', '/v1/commits', {
      operations: [{ op: 'update', model: 'tasks', id: 'ttl', data: { title: 'stale' } }],
      claimToken: res.body.token,
    })
    expect(late.status).toBe(409)
    expect(late.body.error).toMatchObject({ type: 'TandemClaimedError', code: 'claim_lost' })
    await next.release()
  })

  it('HTTP and WebSocket holders exclude each other; GET /v1/claims shows holder and line', async () => {
    const { client, http } = await setup()
    const a = client({ participant: { kind: 'agent', name: 'ws-agent' } })
    await a.ready()
    await a.tasks.create({ id: 'mix', data: { title: 'x' } })
    const wsClaim = await a.tasks.claim({ id: 'mix', action: 'thinking' })
    const busy = await http('POST', '/v1/claims', { model: 'tasks', id: 'mix', wait: false })
    expect(busy.status).toBe(409)
    expect(busy.body.error).toMatchObject({ code: 'entity_claimed' })
    const pending = http(
      'POST',
      '/v1/claims',
      { model: 'tasks', id: 'mix', action: 'python worker' },
      { 'tandem-participant-kind': 'agent', 'tandem-participant-name': 'py' },
    )
    await until(a, (t) => t.tasks.claim.queue({ id: 'mix' }).length === 1)
    const line = await http('GET', '/v1/claims?model=tasks&id=mix')
    expect(line.body.holder).toMatchObject({ action: 'thinking', heldBy: { name: 'ws-agent' } })
    expect(line.body.queue).toHaveLength(1)
    await a.tasks.update({ id: 'mix', data: { title: 'from ws' } })
    await wsClaim.release()
    const granted = await pending
    expect(granted.body).toMatchObject({ status: 'active', data: { title: 'from ws' } })
    await expect(a.tasks.update({ id: 'mix', data: { title: 'nope' } })).rejects.toMatchObject({ code: 'entity_claimed' })
    const write = await http('POST', '/v1/commits', {
      operations: [{ op: 'update', model: 'tasks', id: 'mix', data: { title: 'from http' } }],
      claimToken: granted.body.token,
    })
    expect(write.status).toBe(200)
    expect((await http('POST', `/v1/claims/${granted.body.id}/heartbeat`)).body).toMatchObject({ status: 'active' })
    expect((await http('DELETE', `/v1/claims/${granted.body.id}`)).body).toMatchObject({ status: 'released' })
    await until(a, (t) => t.tasks.get('mix')?.title === 'from http' && t.tasks.claim.state({ id: 'mix' }) === null)
  })

  it('retrieve with ifClaimed: fail throws, wait resolves with the row after release', async () => {
    const { client } = await setup()
    const [a, b] = [client(), client()]
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 'rc', data: { title: 'before' } })
    const claim = await a.tasks.claim({ id: 'rc', action: 'editing' })
    expect(await b.tasks.retrieve({ id: 'rc' })).toMatchObject({ title: 'before' })
    // Worded as the update refused by the same claim.
    const refusedWrite = await b.tasks.update({ id: 'rc', data: { title: 'no' } }).catch((e: Error) => e)
    const refusedRead = await b.tasks.retrieve({ id: 'rc', ifClaimed: 'fail' }).catch((e: Error) => e)
    expect(refusedRead).toMatchObject({ code: 'entity_claimed', message: (refusedWrite as Error).message })
    expect((refusedRead as Error).message).toMatch(/^tasks "rc" is held by .*: editing$/)
    const waited = b.tasks.retrieve({ id: 'rc', ifClaimed: 'wait' })
    await a.tasks.update({ id: 'rc', data: { title: 'after' } })
    await claim.release()
    expect(await waited).toMatchObject({ title: 'after' })
  })

  it('reorder: the holder reorders the waiting line', async () => {
    const { client } = await setup()
    const [a, b, c] = [client(), client(), client()]
    await Promise.all([a.ready(), b.ready(), c.ready()])
    await a.tasks.create({ id: 'ro', data: { title: 'x' } })
    const held = await a.tasks.claim({ id: 'ro' })
    const first = b.tasks.claim({ id: 'ro', action: 'b' })
    await until(a, (t) => t.tasks.claim.queue({ id: 'ro' }).length === 1)
    const second = c.tasks.claim({ id: 'ro', action: 'c' })
    await until(a, (t) => t.tasks.claim.queue({ id: 'ro' }).length === 2)
    const line = a.tasks.claim.queue({ id: 'ro' })
    await a.tasks.claim.reorder({ id: 'ro', order: [line[1]!, line[0]!] })
    await until(a, (t) => t.tasks.claim.queue({ id: 'ro' })[0]?.action === 'c')
    await held.release()
    const cClaim = await second
    expect(a.tasks.claim.queue({ id: 'ro' })[0]?.action).toBe('b')
    await cClaim.release()
    await (await first).release()
  })

  it('records claim lifecycle (granted, released, expired) in the log with the holder as actor', async () => {
    const { client, http } = await setup()
    const a = client({ participant: { kind: 'agent', name: 'auditor' } })
    await a.ready()
    await a.tasks.create({ id: 'audit', data: { title: 'x' } })
    const claim = await a.tasks.claim({ id: 'audit', action: 'checking' })
    await a.tasks.update({ id: 'audit', data: { title: 'y' } })
    await claim.release()
    const expiring = await http('POST', '/v1/claims', { model: 'tasks', id: 'audit', ttl: 100 })
    expect(expiring.status).toBe(200)
    let entries: any[] = []
    for (let after = 0; entries.filter((e) => e.claim).length < 4;) {
      const page = await http('GET', `/v1/changes?after=${after}&wait=10`)
      entries = entries.concat(page.body.data)
      after = page.body.cursor
    }
    const events = entries.filter((e) => e.claim).map((e) => [e.claim.event, e.actor.name ?? e.actor.id, e.claim.state.action])
    expect(events).toEqual([
      ['granted', 'auditor', 'checking'],
      ['released', 'auditor', 'checking'],
      ['granted', expect.any(String), ''],
      ['expired', expect.any(String), ''],
    ])
    expect(entries.map((e) => e.syncId)).toEqual(entries.map((_, i) => i + 1))
  })
})
