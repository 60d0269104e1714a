/**
 * @module Kill -9 durability: `tandem serve` is SIGKILLed while several
 * writers fire 1,000 commits with Idempotency-Keys; after a restart on the
 * same database every commit not acknowledged is replayed with its key.
 * Then every acknowledged commit is present with the syncId it was
 * acknowledged with, no commit is applied twice, and the log is gapless.
 * Run on SQLite and on Postgres.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defer } from './cleanup.ts'
import { createTestDatabase, postgresAvailable } from './postgres-db.ts'
import { type ServerProcess, spawnServer } from './spawn-server.ts'

const key = 'sk_test_kill_during_commits'
const schemaFile = resolve(import.meta.dirname, 'fixtures/tasks-schema.ts')
const total = 1000
const writers = 32
const killAfter = 400

interface Acked {
  id: string
  syncId: number
}

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
const title = (i: number) => `commit ${i}`

/** POST commit `i` with its own Idempotency-Key; the result, or null when no answer came back. */
async function post(url: string, i: number): Promise<Acked | null> {
  let res: Response
  let body: { syncId: number; rows: Array<{ id: string }> }
  try {
    res = await fetch(`${url}/v1/commits`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `kill-${i}` },
      body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', data: { title: title(i), points: i } }] }),
    })
    body = (await res.json()) as typeof body
  } catch {
    return null // the connection died with the server: not acknowledged
  }
  if (res.status !== 200) throw new Error(`commit ${i}: HTTP ${res.status} ${JSON.stringify(body)}`)
  return { id: body.rows[0]!.id, syncId: body.syncId }
}

/** Run `indexes` through `writers` concurrent writers; `onAck` may stop them. */
async function fire(url: string, indexes: number[], onAck: (i: number, acked: Acked) => void, stopped: () => boolean): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!stopped() && next < indexes.length) {
        const i = indexes[next++]!
        const acked = await post(url, i)
        if (acked) onAck(i, acked)
      }
    }),
  )
}

async function getAll<T>(url: string, path: string, page: (body: any) => { items: T[]; next: string | null }): Promise<T[]> {
  const out: T[] = []
  for (let query: string | null = ''; query !== null;) {
    const res = await fetch(`${url}${path}${query}`, { headers })
    const { items, next } = page(await res.json())
    out.push(...items)
    query = next
  }
  return out
}

async function killDuringCommits(databaseUrl: string): Promise<void> {
  const args = ['--database-url', databaseUrl, '--schema', schemaFile, '--port', '0']
  const env = { TANDEM_SECRET_KEYS: key }
  let server: ServerProcess = await spawnServer(args, env)
  defer(() => server.kill())

  const acked = new Map<number, Acked>()
  let killing: Promise<void> | undefined
  const all = Array.from({ length: total }, (_, i) => i)
  await fire(
    server.url,
    all,
    (i, a) => {
      // Answers that arrive while the kill is under way were sent after a durable commit: they count.
      acked.set(i, a)
      if (acked.size >= killAfter) killing ??= server.kill()
    },
    () => killing !== undefined,
  )
  await killing
  expect(acked.size).toBeGreaterThanOrEqual(killAfter)
  expect(acked.size).toBeLessThan(total)

  server = await spawnServer(args, env)
  const replayed = new Map<number, Acked>()
  await fire(
    server.url,
    all.filter((i) => !acked.has(i)),
    (i, a) => replayed.set(i, a),
    () => false,
  )
  expect(replayed.size + acked.size).toBe(total)

  const rows = await getAll<{ id: string; title: string; points: number; syncId: number }>(server.url, '/v1/models/tasks', (body) => ({
    items: body.data,
    next: body.hasMore ? `?limit=1000&cursor=${encodeURIComponent(body.nextCursor)}` : null,
  }))
  const byId = new Map(rows.map((r) => [r.id, r]))
  // Every commit exactly once: 1,000 rows, no title twice.
  expect(rows).toHaveLength(total)
  expect(new Set(rows.map((r) => r.title)).size).toBe(total)
  for (const [i, a] of [...acked, ...replayed]) {
    expect(byId.get(a.id), `commit ${i}`).toMatchObject({ title: title(i), points: i, syncId: a.syncId })
  }

  const log = await getAll<{ syncId: number; changes: Array<{ op: string; id: string }> }>(server.url, '/v1/changes', (body) => ({
    items: body.data,
    next: body.hasMore ? `?after=${body.cursor}&limit=1000` : null,
  }))
  expect(log.map((e) => e.syncId)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
  const created = log.flatMap((e) => e.changes.map((c) => `${c.op}:${c.id}`))
  expect(new Set(created)).toEqual(new Set(rows.map((r) => `create:${r.id}`)))
  expect(created).toHaveLength(total)
}

const withPostgres = await postgresAvailable()

describe('kill -9 during 1,000 commits', () => {
  it('SQLite: every acknowledged commit present with its syncId, none twice, log gapless', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-kill-'))
    defer(() => rmSync(dir, { recursive: true, force: true }))
    await killDuringCommits(`sqlite:${join(dir, 'db.sqlite')}`)
  })

  it("SQLite with durability 'process' (no fsync per commit): a killed process still loses nothing acknowledged", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-kill-'))
    defer(() => rmSync(dir, { recursive: true, force: true }))
    await killDuringCommits(`sqlite:${join(dir, 'db.sqlite')}?durability=process`)
  })

  it.skipIf(!withPostgres)('Postgres: every acknowledged commit present with its syncId, none twice, log gapless', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase()
    defer(() => db.drop())
    await killDuringCommits(db.url)
  })
})
