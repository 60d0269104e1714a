/**
 * @module One round of the soak: open a mix of sockets (raw protocol
 * clients with session tokens and with the secret key, `Tandem()` clients
 * on WebSocket and on HTTP long-poll), hold and queue claims (over the
 * socket and over HTTP), park long-polls and waiting reads, commit a share
 * of the writes, then drop everything: some sockets closed, some cut, every
 * HTTP request aborted. The caller measures what the server keeps afterwards.
 */
import Tandem from '@tandem/core'
import { claimAndLeave, claimAndRelease, mintToken, parkChanges, parkClaim, parkRead, untilConnections } from './churn.ts'
import type { BenchClient } from './clients.ts'
import { connectProtocol, openMany, type ProtocolClient } from './protocol-client.ts'
import { schema, taskData } from './schema.ts'
import { now, pause, withDeadline } from './stats.ts'

export interface RoundSize {
  /** WebSocket connections open at once in the round (raw and `Tandem()` clients). */
  sockets: number
  /** Commits made during the round (pipelined by the secret-key writers). */
  commits: number
  /** Rows claimed by raw holders; each gets `waitersPerRow` queued claims behind it. */
  heldRows: number
}

export interface RoundServer {
  url: string
  secretKey: string
}

export interface RoundCounts {
  sockets: number
  commits: number
  claimsHeld: number
  claimsQueued: number
  httpParked: number
  ms: number
}

const waitersPerRow = 3
const writers = 10
const inFlight = 20
const concurrency = 50
/** Distinct users per round: session-token sockets and requests share their rate-limit buckets. */
const usersPerRound = 50

let commitIds = 0

async function head(url: string): Promise<number> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { syncId: number }).syncId
}

/** Poll `GET /v1/claims` until the row shows `queued` waiters (bounded): the queued claims are in the server's line. */
async function untilQueued(url: string, token: string, id: string, queued: number, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs
  for (;;) {
    const res = await fetch(`${url}/v1/claims?model=tasks&id=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await res.json()) as { queue?: unknown[] }
    if ((body.queue?.length ?? 0) >= queued) return
    if (now() > deadline) throw new Error(`bench: ${id} has ${body.queue?.length ?? 0} queued claims, want ${queued}`)
    await pause(20)
  }
}

export async function runRound(server: RoundServer, round: number, size: RoundSize, timeCapMs: number): Promise<RoundCounts> {
  const t0 = now()
  const { url, secretKey } = server
  const group = `team:soak-r${round}`
  const tokens = await Promise.all(Array.from({ length: usersPerRound }, (_, u) => mintToken(url, secretKey, `soak-r${round}-u${u}`, [group])))
  const token = (i: number) => tokens[i % tokens.length]!
  const tandemWs = Math.max(2, Math.round(size.sockets * 0.04))
  const tandemHttp = Math.max(1, Math.round(size.sockets * 0.01))
  const secretSockets = writers + Math.round(size.sockets * 0.04)
  const sessionSockets = size.sockets - tandemWs - tandemHttp - secretSockets
  const tandemHolders = Math.floor(tandemWs / 2)
  // Rows of this round, in its group: held by raw clients, by Tandem() clients, then free ones for HTTP claims.
  const rowId = (i: number) => `soak-r${round}-row${i}`
  const rowCount = size.heldRows + tandemHolders + 10
  await postRows(
    url,
    token(0),
    Array.from({ length: rowCount }, (_, i) => rowId(i)),
  )

  const raw: ProtocolClient[] = []
  const clients: BenchClient[] = []
  const aborts = new AbortController()
  const parked: Array<Promise<void>> = []
  // Waiting claims end when their socket goes (rejected then): nobody awaits them.
  const pending = (p: Promise<unknown>) => void p.catch(() => undefined)
  const counts: RoundCounts = { sockets: 0, commits: 0, claimsHeld: 0, claimsQueued: 0, httpParked: 0, ms: 0 }
  try {
    // 1. Connect: session sockets bootstrap (their group holds a few rows); secret-key sockets catch up from the head.
    raw.push(...(await openMany(sessionSockets, concurrency, (i) => connectProtocol(url, token(i), null))))
    const from = await head(url)
    raw.push(...(await openMany(secretSockets, concurrency, () => connectProtocol(url, secretKey, from))))
    const writerSockets = raw.slice(sessionSockets, sessionSockets + writers)
    for (let i = 0; i < tandemWs + tandemHttp; i++) {
      clients.push(Tandem({ schema, baseURL: url, apiKey: token(i), ...(i >= tandemWs ? { transport: 'http' as const } : {}) }))
    }
    await withDeadline(Promise.all(clients.map((c) => c.ready())), 30_000, 'soak: Tandem() clients ready')
    for (const c of clients)
      c.subscribe(
        (t) => t.tasks.getAll({ where: { status: 'todo' } }).length,
        () => undefined,
      )
    counts.sockets = raw.length + clients.length

    // 2. Claims: raw holders, queued raw waiters behind them, Tandem() holders and waiters, HTTP waiters.
    await Promise.all(raw.slice(0, size.heldRows).map((c, i) => c.rpc('claim', { model: 'tasks', id: rowId(i), action: 'soak: holding' })))
    counts.claimsHeld += size.heldRows
    for (let w = 0; w < size.heldRows * waitersPerRow; w++) {
      const c = raw[size.heldRows + w]!
      pending(c.rpc('claim', { model: 'tasks', id: rowId(w % size.heldRows), action: 'soak: waiting' }))
    }
    counts.claimsQueued += size.heldRows * waitersPerRow
    await Promise.all(clients.slice(0, tandemHolders).map((c, k) => c.tasks.claim({ id: rowId(size.heldRows + k), action: 'soak: Tandem() holder' })))
    counts.claimsHeld += tandemHolders
    for (const [k, c] of clients.slice(tandemHolders, tandemWs).entries()) {
      pending(c.tasks.claim({ id: rowId(k % size.heldRows), action: 'soak: Tandem() waiter' }))
      counts.claimsQueued++
    }
    const httpWaiters = Math.max(2, Math.round(size.heldRows / 2))
    for (let k = 0; k < httpWaiters; k++) parked.push(parkClaim(url, token(k), rowId(k % size.heldRows), aborts.signal))
    // A few that time out on their own while waiting.
    for (let k = 0; k < 3; k++) parked.push(parkClaim(url, token(k), rowId(k % size.heldRows), aborts.signal, 100))
    counts.claimsQueued += httpWaiters + 3
    counts.httpParked += httpWaiters
    await untilQueued(url, token(0), rowId(0), waitersPerRow, 10_000)

    // 3. Commits: secret-key writers, pipelined, into the default group (session sockets do not see them); every 5th with an idempotency key.
    let issued = 0
    const deadline = now() + timeCapMs
    const lane = async (w: ProtocolClient) => {
      while (issued < size.commits && now() < deadline) {
        issued++
        const i = commitIds++
        const params = {
          operations: [{ op: 'create', model: 'tasks', id: `soak-${i}`, data: taskData(i) }],
          ...(i % 5 === 0 ? { idempotencyKey: `soak-${i}` } : {}),
        }
        await w.rpc('commit', params)
        counts.commits++
      }
    }
    await Promise.all([
      ...writerSockets.flatMap((w) => Array.from({ length: inFlight }, () => lane(w))),
      // Tandem() clients write too (with their own idempotency keys), in their group.
      ...clients.map((c, k) => c.tasks.create({ id: `soak-r${round}-t${k}`, data: taskData(k) }).then(() => undefined)),
    ])

    // 4. Long-polls and waiting reads parked on the server, and claims held over HTTP: left to expire, or released.
    const after = await head(url)
    const polls = Math.max(4, Math.round(size.sockets / 12))
    for (let k = 0; k < polls; k++) parked.push(parkChanges(url, token(k), after, 25, aborts.signal))
    const reads = Math.max(2, Math.floor(size.heldRows / 4))
    for (let k = 0; k < reads; k++) parked.push(parkRead(url, token(k), rowId(k % size.heldRows), aborts.signal))
    counts.httpParked += polls + reads
    const free = size.heldRows + tandemHolders
    await Promise.all([
      ...Array.from({ length: 5 }, (_, k) => claimAndLeave(url, token(k), rowId(free + k), 1000)),
      ...Array.from({ length: 5 }, (_, k) => claimAndRelease(url, token(k), rowId(free + 5 + k))),
    ])
    counts.claimsHeld += 10
    // Let the parked requests reach the server before they are abandoned.
    await pause(100)
  } finally {
    // 5. Drop everything: half the raw sockets close cleanly, half are cut; clients disposed; HTTP requests aborted.
    raw.forEach((c, i) => (i % 2 ? c.ws.terminate() : c.close()))
    aborts.abort()
    await Promise.all(clients.map((c) => c.dispose()))
    await withDeadline(Promise.all(parked), 30_000, 'soak: parked HTTP requests settle')
    await untilConnections(url, 0, 30_000)
  }
  counts.ms = now() - t0
  return counts
}

/** The round's rows, created in one commit by a session token of the round's group. */
async function postRows(url: string, token: string, ids: string[]): Promise<void> {
  const res = await fetch(`${url}/v1/commits`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operations: ids.map((id, i) => ({ op: 'create', model: 'tasks', id, data: taskData(i) })) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`bench: creating the soak rows answered ${res.status}: ${text.slice(0, 300)}`)
}
