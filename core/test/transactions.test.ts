/** `tandem.transaction`: several writes as one commit, over a real server, on both transports. */
import Tandem, { TandemClaimedError, TandemConflictError, TandemStaleContextError, TandemValidationError } from '@tandem/core'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { startChaosProxy } from './chaos-proxy.ts'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

type Transport = 'websocket' | 'http'

async function start(transport: Transport) {
  const env = await setup()
  const client = (name: string, baseURL = env.server.url) => {
    const c = Tandem({ schema, baseURL, apiKey: env.server.secretKey, transport, participant: { kind: 'human', name } })
    defer(() => c.dispose())
    return c
  }
  /** The server's log after `after`: what a transaction left there. */
  const log = async (after = 0) => (await env.http('GET', `/v1/changes?after=${after}&limit=1000`)).body.data as any[]
  /** The log's head: the cursor to read a transaction's own entries after (the long-poll client may not be there yet). */
  const head = async () => ((await log()).at(-1)?.syncId as number | undefined) ?? 0
  return { ...env, client, log, head }
}

describe.each(['websocket', 'http'] as const)('transactions (%s)', (transport) => {
  it('commits every operation at once: one log entry, seen by another client in one change', async () => {
    const { client, log, head } = await start(transport)
    const a = client('ada')
    const b = client('bea')
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 'old', data: { title: 'Old' } })
    await a.tasks.create({ id: 'gone', data: { title: 'Gone' } })
    await until(b, (t) => t.tasks.get('gone'))
    const seen: string[] = []
    b.subscribe(
      (t) => `${t.tasks.get('old')?.status}/${t.tasks.get('new')?.title ?? '-'}/${t.tasks.get('gone') ? 'here' : '-'}`,
      (v) => seen.push(v),
    )
    const cursor = await head()

    const result = await a.transaction((tx) => {
      tx.tasks.update({ id: 'old', data: { status: 'done' } })
      tx.tasks.delete({ id: 'gone' })
      return tx.tasks.create({ id: 'new', data: { title: 'New' } }).id
    })

    expect(result).toMatchObject({ value: 'new', syncId: cursor + 1, stale: false })
    expect(result.rows).toEqual([expect.objectContaining({ id: 'old', status: 'done' }), null, expect.objectContaining({ id: 'new', title: 'New' })])
    const entries = await log(cursor)
    expect(entries).toHaveLength(1)
    expect(entries[0].changes.map((c: any) => `${c.op} ${c.id}`)).toEqual(['update old', 'delete gone', 'create new'])
    await until(b, (t) => t.tasks.get('new'))
    expect(seen).toEqual(['done/New/-'])
  })

  it('applies the writes locally together once the callback returns, not while it runs', async () => {
    const { client } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    const states: string[] = []
    a.subscribe(
      (t) => `${t.tasks.get('t1')?.title}/${t.tasks.get('t2')?.title ?? '-'}`,
      (v) => states.push(v),
    )
    const done = a.transaction(
      (tx) => {
        const row = tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
        expect(row).toMatchObject({ id: 't1', title: 'Uno', status: 'todo' })
        expect(tx.tasks.get('t1')?.title).toBe('Uno') // the transaction sees its own writes
        expect(a.tasks.get('t1')?.title).toBe('One') // the app does not, yet
        tx.tasks.create({ id: 't2', data: { title: 'Dos' } })
      },
      { wait: 'queued' },
    )
    await done
    expect(a.tasks.get('t2')).toMatchObject({ title: 'Dos' })
    await until(a, (t) => t.pendingCount() === 0)
    expect(states).toEqual(['Uno/Dos'])
  })

  it('a stale operation refuses the whole transaction: rolled back locally, nothing on the server', async () => {
    const { client, log, head } = await start(transport)
    const a = client('ada')
    const b = client('bea')
    await Promise.all([a.ready(), b.ready()])
    const t1 = await a.tasks.create({ id: 't1', data: { title: 'One' } })
    const t2 = await a.tasks.create({ id: 't2', data: { title: 'Two' } })
    await until(b, (t) => t.tasks.get('t2'))
    await b.tasks.update({ id: 't2', data: { title: 'Theirs' } })
    const cursor = await head()

    const states: string[] = []
    a.subscribe(
      (t) => `${t.tasks.get('t1')?.title}/${t.tasks.get('t3')?.title ?? '-'}`,
      (v) => states.push(v),
    )
    const refused = a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' }, readAt: t1.syncId })
      tx.tasks.update({ id: 't2', data: { title: 'Mine' }, readAt: t2.syncId })
      tx.tasks.create({ id: 't3', data: { title: 'Three' } })
    })
    await expect(refused).rejects.toBeInstanceOf(TandemStaleContextError)
    await expect(refused).rejects.toMatchObject({ code: 'stale_context', param: 'operations[1].readAt' })
    expect(await log(cursor)).toEqual([])
    expect(a.tasks.get('t1')?.title).toBe('One')
    expect(a.tasks.get('t3')).toBeUndefined()
    expect(states.at(-1)).toBe('One/-')
    expect(a.canUndo.get()).toBe(true) // the two creates; the refused transaction left no step
    expect(a.pendingCount()).toBe(0)
  })

  it('an operation on a row someone else claimed, or one the server refuses, rolls every operation back', async () => {
    const { client, log, head } = await start(transport)
    const a = client('ada')
    const b = client('bea')
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    await a.tasks.create({ id: 't2', data: { title: 'Two' } })
    await until(b, (t) => t.tasks.get('t2'))
    const claim = await b.tasks.claim({ id: 't2', action: 'editing' })
    await until(a, (t) => t.tasks.claim.state({ id: 't2' }))
    const cursor = await head()

    const claimed = a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
      tx.tasks.update({ id: 't2', data: { title: 'Dos' } })
    })
    await expect(claimed).rejects.toBeInstanceOf(TandemClaimedError)
    await expect(claimed).rejects.toMatchObject({ code: 'entity_claimed', param: 'operations[1].claimToken' })
    await claim.release()

    const exists = a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
      tx.tasks.create({ id: 't2', data: { title: 'again' } })
    })
    await expect(exists).rejects.toBeInstanceOf(TandemConflictError)
    await expect(exists).rejects.toMatchObject({ code: 'already_exists', param: 'operations[1].id' })

    const rows = (await log(cursor)).flatMap((e) => e.changes)
    expect(rows).toEqual([]) // the claim's release is a log entry without changes
    expect(a.tasks.get('t1')?.title).toBe('One')
    expect(a.tasks.get('t2')?.title).toBe('Two')
  })

  it('each operation carries the token of its own claim, so rows held under two claims commit together', async () => {
    const { client, log } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    await a.tasks.create({ id: 't2', data: { title: 'Two' } })
    await using c1 = await a.tasks.claim({ id: 't1' })
    await using c2 = await a.tasks.claim({ id: 't2', field: 'title' })
    const result = await a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
      tx.tasks.update({ id: 't2', data: { title: 'Dos' } })
    })
    expect(result.rows).toMatchObject([{ title: 'Uno' }, { title: 'Dos' }])
    const entry = (await log()).find((e) => e.syncId === result.syncId)
    expect(entry.changes).toHaveLength(2)
    expect([c1.token, c2.token].every(Boolean)).toBe(true)
    expect(c1.token).not.toBe(c2.token)

    // One transaction is one undo step, and its inverse passes both claims too.
    expect(await a.undo()).toMatchObject({ status: 'applied' })
    expect(a.tasks.get('t1')?.title).toBe('One')
    expect(a.tasks.get('t2')?.title).toBe('Two')
    expect((await a.tasks.retrieve({ id: 't2' }))?.title).toBe('Two')
  })

  it('releasing a claim waits for a queued transaction written under it, so the write is not refused', async () => {
    const { client } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    await a.tasks.create({ id: 't2', data: { title: 'Two' } })
    const c1 = await a.tasks.claim({ id: 't1' })
    const c2 = await a.tasks.claim({ id: 't2' })
    const landed = a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
      tx.tasks.update({ id: 't2', data: { title: 'Dos' } })
    })
    await Promise.all([c2.release(), c1.release()])
    await expect(landed).resolves.toMatchObject({ rows: [{ title: 'Uno' }, { title: 'Dos' }] })
  })

  it('undo reverts a whole transaction in one commit, redo applies it again', async () => {
    const { client, log } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One', points: 1 } })
    await a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { points: 2 } })
      tx.tasks.create({ id: 't2', data: { title: 'Two' } })
    })
    const undone = await a.undo()
    expect(undone).toMatchObject({
      status: 'applied',
      operations: [expect.objectContaining({ op: 'delete', id: 't2' }), expect.objectContaining({ op: 'update' })],
    })
    if (undone.status !== 'applied') throw new Error('not applied')
    const entry = (await log()).find((e) => e.syncId === undone.syncId)
    expect(entry.changes.map((c: any) => `${c.op} ${c.id}`)).toEqual(['delete t2', 'update t1'])
    expect(a.tasks.get('t1')?.points).toBe(1)
    expect(a.tasks.get('t2')).toBeUndefined()
    expect(await a.redo()).toMatchObject({ status: 'applied' })
    expect(a.tasks.get('t1')?.points).toBe(2)
    expect(a.tasks.get('t2')?.title).toBe('Two')
  })

  it('a callback that throws sends and applies nothing; an empty transaction makes no commit', async () => {
    const { client, log, head } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    const cursor = await head()
    const boom = new Error('changed my mind')
    await expect(
      a.transaction(async (tx) => {
        tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
        await Promise.resolve()
        throw boom
      }),
    ).rejects.toBe(boom)
    // Invalid data is refused as the verbs refuse it, naming the operation; the callback then throws it.
    const invalid = a.transaction((tx) => {
      tx.tasks.update({ id: 't1', data: { title: 'Uno' } })
      tx.tasks.update({ id: 't1', data: { status: 'nope' as never } })
    })
    await expect(invalid).rejects.toBeInstanceOf(TandemValidationError)
    await expect(invalid).rejects.toMatchObject({ param: 'operations[1].status' })
    expect(await a.transaction(() => 42)).toEqual({ value: 42, syncId: null, stale: false, rows: [] })
    expect(a.tasks.get('t1')?.title).toBe('One')
    expect(a.pendingCount()).toBe(0)
    expect(await log(cursor)).toEqual([])
  })

  it('tags the commit with the run of a withRun view, or the one given', async () => {
    const { client, log } = await start(transport)
    const a = client('ada')
    await a.ready()
    await a.withRun('run-view').transaction((tx) => void tx.tasks.create({ data: { title: 'one' } }))
    await a.transaction((tx) => void tx.tasks.create({ data: { title: 'two' } }), { runId: 'run-own' })
    expect((await log()).map((e) => e.runId)).toEqual(['run-view', 'run-own'])
  })

  it('refuses a nested transaction, and `tx` once the callback is over', async () => {
    const { client } = await start(transport)
    const a = client('ada')
    await a.ready()
    let kept: Parameters<Parameters<typeof a.transaction>[0]>[0] | undefined
    const nested = a.transaction(async (tx) => {
      kept = tx
      await a.transaction(() => undefined)
    })
    await expect(nested).rejects.toMatchObject({ type: 'TandemValidationError', code: 'invalid_request', message: expect.stringContaining('do not nest') })
    expect(() => kept!.tasks.create({ data: { title: 'late' } })).toThrow(/transaction has ended/)
    // Once closed, the next transaction opens normally.
    expect((await a.transaction((tx) => tx.tasks.create({ data: { title: 'fine' } }).title)).value).toBe('fine')
  })

  it('lands exactly once through a proxy that drops connections, each all-or-nothing, with one idempotency key', async () => {
    const { client, log, server } = await start(transport)
    const proxy = await startChaosProxy(server.port, transport === 'http' ? 0.05 : 0.1, 20261206)
    defer(() => proxy.close())
    const a = client('ada', proxy.url)
    await a.ready()
    const total = 40
    const queued: Promise<unknown>[] = []
    for (let i = 0; i < total; i++) {
      queued.push(
        a.transaction(
          (tx) => {
            tx.tasks.create({ id: `a${i}`, data: { title: `A ${i}`, points: i } })
            tx.tasks.create({ id: `b${i}`, data: { title: `B ${i}`, points: i } })
          },
          { wait: 'queued' },
        ),
      )
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve))
    }
    await Promise.all(queued)
    await until(a, (t) => t.pendingCount() === 0, 60_000)
    proxy.calm()
    const entries = await log()
    expect(entries).toHaveLength(total)
    for (const [i, e] of entries.entries()) expect(e.changes.map((c: any) => c.id)).toEqual([`a${i}`, `b${i}`])
    expect(proxy.drops).toBeGreaterThan(0)
  }, 60_000)

  it('a transaction made offline is applied locally at once and lands once the client connects', async () => {
    const { log, server } = await start(transport)
    const a = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, transport, autoConnect: false })
    defer(() => a.dispose())
    const made = await a.transaction(
      (tx) => {
        tx.tasks.create({ id: 't1', data: { title: 'One' } })
        tx.tasks.create({ id: 't2', data: { title: 'Two' } })
      },
      { wait: 'queued', idempotencyKey: 'offline-tx-1' },
    )
    expect(made.rows).toMatchObject([{ id: 't1' }, { id: 't2' }])
    expect(a.tasks.getCount()).toBe(2)
    a.start()
    await a.ready()
    await until(a, (t) => t.pendingCount() === 0)
    expect((await log()).map((e) => e.changes.length)).toEqual([2])
  })
})

describe('transactions over HTTP', () => {
  it('POST /v1/commits takes a claimToken per operation; a refused one is named operations[N].claimToken', async () => {
    const { client, http } = await setup()
    const a = client()
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'One' } })
    await a.tasks.create({ id: 't2', data: { title: 'Two' } })
    const c1 = (await http('POST', '/v1/claims', { model: 'tasks', id: 't1' })).body
    const c2 = (await http('POST', '/v1/claims', { model: 'tasks', id: 't2' })).body
    const update = (id: string, title: string, claimToken: string) => ({ op: 'update', model: 'tasks', id, data: { title }, claimToken })

    const lost = await http('POST', '/v1/commits', { operations: [update('t1', 'Uno', c1.token), update('t2', 'Dos', `${c2.token}x`)] })
    expect(lost.status).toBe(409)
    expect(lost.body.error).toMatchObject({ type: 'TandemClaimedError', code: 'claim_lost', param: 'operations[1].claimToken' })

    const ok = await http('POST', '/v1/commits', { operations: [update('t1', 'Uno', c1.token), update('t2', 'Dos', c2.token)] })
    expect(ok.status).toBe(200)
    expect(ok.body.rows).toMatchObject([{ title: 'Uno' }, { title: 'Dos' }])
  })

  it('the OpenAPI document describes the per-operation claimToken', async () => {
    const { http } = await setup()
    const doc = (await http('GET', '/v1/openapi.json')).body
    // One schema per model and op: the update and delete of every model take it.
    const byOp = doc.components.schemas.CreateCommitRequest.properties.operations.items.oneOf.flatMap((m: any) => m.oneOf)
    const withToken = byOp.filter((o: any) => o.properties.claimToken?.description?.includes('Fencing token')).map((o: any) => o.properties.op.const)
    expect(withToken.sort()).toEqual(['delete', 'delete', 'update', 'update'])
  })
})
