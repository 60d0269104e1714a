/**
 * Property test: claims on 3 server nodes sharing one Postgres database (3 `createServer()` instances in this
 * process, each with its own postgresStore; real HTTP). Random acquire / release / heartbeat / write sequences by
 * participants spread over the nodes. Checks, after every step, what every node answers: never two holders, FIFO
 * across nodes, a grant made anywhere wakes its waiter's request on its own node, and a write is accepted exactly
 * when it carries the current holder's token (or nobody holds the row). At the end, the same in the log read back
 * through `GET /v1/changes`: one holder at a time, grants in arrival order, each accepted write inside its claim's grant.
 */
import { createServer, type TandemServer } from '@tandem/core/server'
import { defineSchema, model, z } from '@tandem/core/schema'
import { postgresStore } from '@tandem/sources'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresAvailable, type TestDatabase, createTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const schema = defineSchema({ tasks: model({ title: z.string() }) })
const key = 'sk_test_cluster_claims_property'
const participants = 5
const nodeCount = 3

type Cmd =
  | { kind: 'acquire'; p: number; row: number }
  | { kind: 'release'; p: number; pick: number }
  | { kind: 'heartbeat'; p: number }
  | { kind: 'write'; p: number; row: number; useToken: boolean }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('acquire' as const), p: fc.nat(participants - 1), row: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), p: fc.nat(participants - 1), pick: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), p: fc.nat(participants - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), p: fc.nat(participants - 1), row: fc.nat(1), useToken: fc.boolean() }) },
)

interface LineEntry {
  id: string
  status: 'active' | 'queued'
}
interface Tracked {
  p: number
  row: string
  arrival: number
  answer: Promise<{ status: number; body: any }>
  token?: string
}
interface LogEntry {
  syncId: number
  changes: Array<{ model: string; id: string }>
  claim?: { event: string; state: { id: string; target: { id: string } } }
}

describe.skipIf(!withPostgres)('claims on 3 Postgres nodes under random interleavings', () => {
  let database: TestDatabase
  let servers: TandemServer[] = []
  beforeAll(async () => {
    database = await createTestDatabase()
    for (let i = 0; i < nodeCount; i++)
      servers.push(await createServer({ schema, store: postgresStore({ url: database.url, max: 4 }), port: 0, secretKeys: [key] }))
  })
  afterAll(async () => {
    for (const s of servers) await s.close()
    servers = []
    await database?.drop()
  })

  const call = async (node: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(servers[node]!.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const nodeOf = (p: number) => p % nodeCount
  const line = async (node: number, row: string) => (await call(node, 'GET', `/v1/claims?model=tasks&id=${row}`)).body.claims as LineEntry[]
  const within = <T>(promise: Promise<T>, what: string, ms = 15_000) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())])

  let run = 0
  it('never two holders, FIFO across nodes, writes only under the current token; the log agrees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        run++
        const rows = [`r${run}a`, `r${run}b`]
        for (const id of rows)
          expect((await call(0, 'POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id, data: { title: '-' } }] })).status).toBe(200)
        const claims = new Map<string, Tracked>()
        const tokens = new Map<string, string>() // `${p}/${row}` → the latest token p was granted on row (may be stale)
        /** Accepted writes: syncId → the claim whose token it carried (null: none, nobody held the row). */
        const writes = new Map<number, string | null>()
        let arrivals = 0
        let step = 0

        /** Every node answers the same line: at most one holder, ahead of every waiter, waiters in arrival order; holders' requests answered. */
        const check = async () => {
          for (const row of rows) {
            const entries = await line(step++ % nodeCount, row)
            const active = entries.filter((e) => e.status === 'active')
            expect(active.length).toBeLessThanOrEqual(1)
            const queued = entries.filter((e) => e.status === 'queued').map((e) => claims.get(e.id)!.arrival)
            expect(queued).toEqual([...queued].sort((x, y) => x - y))
            for (const a of active) {
              const tracked = claims.get(a.id)!
              expect(queued.every((q) => q > tracked.arrival)).toBe(true)
              if (!tracked.token) {
                // Granted, maybe by another node: the waiting request on the participant's own node must answer.
                const answer = await within(tracked.answer, `grant of ${a.id}`)
                expect(answer).toMatchObject({ status: 200, body: { id: a.id, status: 'active' } })
                tracked.token = answer.body.token as string
                tokens.set(`${tracked.p}/${row}`, tracked.token)
              }
            }
          }
        }
        const holderOf = async (row: string) => (await line(step++ % nodeCount, row)).find((e) => e.status === 'active')

        for (const c of cmds) {
          if (c.kind === 'acquire') {
            const row = rows[c.row]!
            const before = new Set((await line(0, row)).map((e) => e.id))
            const answer = call(nodeOf(c.p), 'POST', '/v1/claims', { model: 'tasks', id: row, wait: true, ttl: 120_000, timeoutMs: 120_000 })
            answer.catch(() => undefined)
            const added = await within(
              (async () => {
                for (;;) {
                  const fresh = (await line(1, row)).find((e) => !before.has(e.id))
                  if (fresh) return fresh
                  await new Promise((r) => setTimeout(r, 10))
                }
              })(),
              'the new claim in the line',
            )
            claims.set(added.id, { p: c.p, row, arrival: arrivals++, answer })
          } else if (c.kind === 'release') {
            const mine = (await Promise.all(rows.map((row) => line(0, row)))).flat().filter((e) => claims.get(e.id)?.p === c.p)
            const victim = mine[c.pick % Math.max(1, mine.length)]
            if (victim) {
              expect((await call(nodeOf(c.p), 'DELETE', `/v1/claims/${victim.id}`)).status).toBe(200)
              // A waiter's request ends (not granted) once its claim is withdrawn.
              if (victim.status === 'queued') expect((await within(claims.get(victim.id)!.answer, `end of ${victim.id}`)).status).not.toBe(200)
            }
          } else if (c.kind === 'heartbeat') {
            for (const row of rows) {
              const holder = await holderOf(row)
              if (holder && claims.get(holder.id)?.p === c.p)
                expect((await call(nodeOf(c.p), 'POST', `/v1/claims/${holder.id}/heartbeat`)).body).toMatchObject({ id: holder.id, status: 'active' })
            }
          } else {
            const row = rows[c.row]!
            const token = c.useToken ? tokens.get(`${c.p}/${row}`) : undefined
            const holder = await holderOf(row)
            const res = await call(nodeOf(c.p), 'POST', '/v1/commits', {
              operations: [{ op: 'update', model: 'tasks', id: row, data: { title: `p${c.p}` } }],
              ...(token ? { claimToken: token } : {}),
            })
            const current = holder ? claims.get(holder.id)!.token : undefined
            const shouldPass = token ? token === current : holder === undefined
            expect({ status: res.status, holder: holder?.id, withToken: Boolean(token) }).toMatchObject({ status: shouldPass ? 200 : 409 })
            if (res.status === 200) writes.set(res.body.syncId as number, token ? holder!.id : null)
          }
          await check()
        }

        // Progress: release holders until every line is empty; each next waiter is granted (and told) in turn.
        for (let round = 0; round < 100; round++) {
          const left = (await Promise.all(rows.map((row) => line(round % nodeCount, row)))).flat()
          if (left.length === 0) break
          await check()
          for (const e of left) if (e.status === 'active') await call(nodeOf(claims.get(e.id)!.p), 'DELETE', `/v1/claims/${e.id}`)
        }
        for (const row of rows) expect(await line(2, row)).toEqual([])

        // The log of this run, read back from another node: one holder at a time, grants in arrival order.
        const log: LogEntry[] = []
        for (let after = 0; ;) {
          const page = (await call(2, 'GET', `/v1/changes?after=${after}&limit=500`)).body as { data: LogEntry[]; hasMore: boolean }
          log.push(...page.data)
          if (!page.hasMore || page.data.length === 0) break
          after = page.data.at(-1)!.syncId
        }
        for (const row of rows) {
          let holder: string | null = null
          const granted: number[] = []
          for (const e of log) {
            // Every accepted write sits, in the log too, inside the grant of the claim whose token it carried (or outside every grant).
            if (writes.has(e.syncId) && e.changes.some((ch) => ch.id === row)) expect(holder, `write at syncId ${e.syncId}`).toBe(writes.get(e.syncId))
            if (e.claim?.state.target.id !== row) continue
            const { event, state } = e.claim
            if (event === 'granted') {
              expect(holder, `syncId ${e.syncId}: ${state.id} granted while ${holder} holds`).toBeNull()
              holder = state.id
              granted.push(claims.get(state.id)!.arrival)
            } else if (event === 'released' || event === 'expired') {
              expect(holder).toBe(state.id)
              holder = null
            }
          }
          expect(holder).toBeNull()
          expect(granted).toEqual([...granted].sort((x, y) => x - y))
        }
      }),
      { numRuns: 15 },
    )
  }, 120_000)
})
