import { describe, expect, it } from 'vitest'
import { errorCodes } from '@tandem/core'
import { claimCoordinators, defer, setup as baseSetup } from './helpers.ts'

// Who may release, heartbeat or reorder a claim: one rule set, the same answer through either door.
const coordinators = claimCoordinators

type Caller = 'holder' | 'other user of the group' | 'secret key' | 'unknown id' | 'expired claim'
type Action = 'release' | 'heartbeat' | 'reorder'
/** `ok:<what the answer is>` or the error code. */
type Outcome = string

const expected: Record<Caller, Record<Action, Outcome>> = {
  holder: { release: 'ok:released', heartbeat: 'ok:active', reorder: 'ok:claim_queue' },
  'other user of the group': { release: 'claim_lost', heartbeat: 'claim_lost', reorder: 'forbidden' },
  'secret key': { release: 'ok:released', heartbeat: 'ok:active', reorder: 'ok:claim_queue' },
  // An id nobody holds: release and heartbeat are told it is not held; reorder ignores ids not in the line.
  'unknown id': { release: 'claim_lost', heartbeat: 'claim_lost', reorder: 'ok:claim_queue' },
  // The holder's lease ran out: it holds nothing any more, so it may not reorder either.
  'expired claim': { release: 'claim_lost', heartbeat: 'claim_lost', reorder: 'forbidden' },
}
const callers = Object.keys(expected) as Caller[]
const actions: Action[] = ['release', 'heartbeat', 'reorder']

interface Answer {
  ok: boolean
  value?: any
  error?: { type: string; code: string; message: string }
}

/** A raw WebSocket client: hello, then rpc frames answered by id. */
async function openSocket(url: string, token: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/v1/sync', 'tandem.v1')
  const answers = new Map<number, (a: Answer) => void>()
  let synced: () => void = () => {}
  const ready = new Promise<void>((r) => (synced = r))
  ws.onmessage = (e) => {
    const frame = JSON.parse(String(e.data))
    if (frame.type === 'synced') synced()
    if (frame.type === 'result') answers.get(frame.id)?.(frame)
  }
  await new Promise((r) => (ws.onopen = r))
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, token, cursor: null }))
  await ready
  defer(() => ws.close())
  let next = 0
  return {
    rpc(method: string, params: unknown): Promise<Answer> {
      const id = ++next
      const answered = new Promise<Answer>((r) => answers.set(id, r))
      ws.send(JSON.stringify({ type: 'rpc', id, method, params }))
      return answered
    },
  }
}

const outcomeOf = (a: Answer): Outcome => {
  if (!a.ok) return a.error!.code
  return `ok:${a.value?.object ?? a.value?.status}`
}

describe.each(coordinators)('claim policy (%s)', (_name, configure) => {
  it('every caller × action answers the same through WebSocket and HTTP', async () => {
    const { server, http } = await baseSetup(configure({}))
    const mint = async (userId: string) => (await http('POST', '/v1/sessions', { userId, groups: ['org:default'] })).body.token as string
    const tokens = { ada: await mint('ada'), bob: await mint('bob'), secret: server.secretKey }
    const as = (token: string) => (method: string, path: string, body?: unknown) => http(method, path, body, { authorization: `Bearer ${token}` })
    const sockets = {
      ada: await openSocket(server.url, tokens.ada),
      bob: await openSocket(server.url, tokens.bob),
      secret: await openSocket(server.url, tokens.secret),
    }

    // One row and one claim by Ada per cell, so no cell sees another's effects.
    type Cell = { caller: Caller; action: Action; door: 'websocket' | 'http'; row: string; claim: { id: string; token: string } }
    const cells: Cell[] = []
    for (const caller of callers) {
      for (const action of actions) {
        for (const door of ['websocket', 'http'] as const) {
          const row = `${caller.split(' ')[0]}-${action}-${door}`
          expect((await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: row, data: { title: row } }] })).status).toBe(200)
          const ttl = caller === 'expired claim' ? 40 : 30_000
          const granted = await as(tokens.ada)('POST', '/v1/claims', { model: 'tasks', id: row, action: 'working', ttl })
          expect(granted.status).toBe(200)
          cells.push({ caller, action, door, row, claim: { id: granted.body.id, token: granted.body.token } })
        }
      }
    }
    // Wait for the short leases to end: their `expired` entries reach the log.
    const expiring = new Set(cells.filter((c) => c.caller === 'expired claim').map((c) => c.claim.id))
    for (let after = 0; expiring.size > 0;) {
      const page = await http('GET', `/v1/changes?after=${after}&wait=10`)
      for (const e of page.body.data) if (e.claim?.event === 'expired') expiring.delete(e.claim.state.id)
      after = page.body.cursor
    }

    const unknown = { id: 'clm_0000000000000000000000000', token: 'ct_clm_0000000000000000000000000.1.AAAAAAAAAAAAAAAA' }
    const results: Array<{ caller: Caller; action: Action; websocket?: Outcome; http?: Outcome }> = []
    for (const cell of cells) {
      const who = cell.caller === 'other user of the group' ? 'bob' : cell.caller === 'secret key' ? 'secret' : 'ada'
      const claim = cell.caller === 'unknown id' ? unknown : cell.claim
      let answer: Answer
      if (cell.door === 'websocket') {
        const socket = sockets[who]
        const params =
          cell.action === 'release'
            ? { claimId: claim.id }
            : cell.action === 'heartbeat'
              ? { token: claim.token }
              : { model: 'tasks', id: cell.row, order: [claim.id] }
        answer = await socket.rpc(`claim_${cell.action}`, params)
      } else {
        const call = as(tokens[who])
        const res =
          cell.action === 'release'
            ? await call('DELETE', `/v1/claims/${claim.id}`)
            : cell.action === 'heartbeat'
              ? await call('POST', `/v1/claims/${claim.id}/heartbeat`)
              : await call('POST', '/v1/claims/reorder', { model: 'tasks', id: cell.row, order: [claim.id] })
        answer = res.status === 200 ? { ok: true, value: res.body } : { ok: false, error: res.body.error }
        // The HTTP status is the code's own.
        if (!answer.ok) expect(res.status).toBe(errorCodes[answer.error!.code as keyof typeof errorCodes].status)
      }
      let row = results.find((r) => r.caller === cell.caller && r.action === cell.action)
      if (!row) results.push((row = { caller: cell.caller, action: cell.action }))
      row[cell.door] = outcomeOf(answer)
    }

    const table = (pick: (r: (typeof results)[number]) => Outcome | undefined) =>
      Object.fromEntries(callers.map((c) => [c, Object.fromEntries(actions.map((a) => [a, pick(results.find((r) => r.caller === c && r.action === a)!)]))]))
    expect(table((r) => r.websocket)).toEqual(expected)
    expect(table((r) => r.http)).toEqual(expected)
  })

  it('a claim token works only with the credential that acquired it, on either door', async () => {
    const { server, http } = await baseSetup(configure({}))
    const mint = async (userId: string) => (await http('POST', '/v1/sessions', { userId, groups: ['org:default'] })).body.token as string
    const [ada, bob] = [await mint('ada'), await mint('bob')]
    const as = (token: string) => (method: string, path: string, body?: unknown) => http(method, path, body, { authorization: `Bearer ${token}` })
    await http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'leak', data: { title: 'x' } }] })
    const claim = (await as(ada)('POST', '/v1/claims', { model: 'tasks', id: 'leak', action: 'careful work' })).body
    const write = (title: string) => ({ operations: [{ op: 'update', model: 'tasks', id: 'leak', data: { title } }], claimToken: claim.token })

    // Bob copied Ada's token out of a log: it does not let him write, renew or release, on either door.
    const bobHttp = await as(bob)('POST', '/v1/commits', write('bob over http'))
    expect(bobHttp.status).toBe(409)
    expect(bobHttp.body.error).toMatchObject({ type: 'TandemClaimedError', code: 'claim_lost', param: 'claimToken' })
    const bobSocket = await openSocket(server.url, bob)
    expect(await bobSocket.rpc('commit', write('bob over ws'))).toMatchObject({ ok: false, error: { code: 'claim_lost' } })
    expect(await bobSocket.rpc('claim_heartbeat', { token: claim.token })).toMatchObject({ ok: false, error: { code: 'claim_lost' } })
    expect(await bobSocket.rpc('claim_release', { claimId: claim.id })).toMatchObject({ ok: false, error: { code: 'claim_lost' } })
    expect((await as(bob)('POST', `/v1/claims/${claim.id}/heartbeat`)).body.error).toMatchObject({ code: 'claim_lost' })
    expect((await as(bob)('DELETE', `/v1/claims/${claim.id}`)).body.error).toMatchObject({ code: 'claim_lost' })

    // Ada's claim is untouched, and her token still works for her, on both doors.
    expect((await as(ada)('POST', '/v1/commits', write('ada over http'))).status).toBe(200)
    const adaSocket = await openSocket(server.url, ada)
    expect(await adaSocket.rpc('commit', write('ada over ws'))).toMatchObject({ ok: true })
    expect(await adaSocket.rpc('claim_heartbeat', { token: claim.token })).toMatchObject({ ok: true, value: { status: 'active' } })
    expect(await adaSocket.rpc('claim_release', { claimId: claim.id })).toMatchObject({ ok: true, value: { status: 'released' } })
    expect((await http('GET', '/v1/models/tasks/leak')).body.title).toBe('ada over ws')
  })
})
