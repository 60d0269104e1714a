import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { defineSchema, model, type Schema, z } from '@tandem/core/schema'
import { sqliteStore } from '@tandem/core/server'
import { defer } from './helpers.ts'

const t0 = '2026-01-01T00:00:00.000Z'

function tempFile() {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-migrate-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'db.sqlite')
}

async function open(path: string, schema: Schema) {
  const store = sqliteStore({ path })
  await store.open(schema)
  defer(() => store.close())
  return store
}

async function put(path: string, schema: Schema, id: string, data: Record<string, unknown>) {
  const store = sqliteStore({ path })
  await store.open(schema)
  await store.transaction(async (tx) => tx.putRow('tasks', { row: { id, createdAt: t0, updatedAt: t0, syncId: 1, ...data }, groups: ['g'] }))
  await store.close()
}

const v = (shape: Parameters<typeof model>[0]) => defineSchema({ tasks: model(shape) })

describe('SQLite migrations on open', () => {
  it('a removed required field, or one made optional, no longer blocks writes; old data is kept', async () => {
    const path = tempFile()
    await put(path, v({ title: z.string(), note: z.string(), owner: z.string() }), 'a', { title: 'A', note: 'kept', owner: 'ada' })
    const store = await open(path, v({ title: z.string(), owner: z.string().optional() }))
    await store.transaction(async (tx) => tx.putRow('tasks', { row: { id: 'b', createdAt: t0, updatedAt: t0, syncId: 2, title: 'B' }, groups: ['g'] }))
    expect((await store.getRow('tasks', 'a'))?.row).toMatchObject({ title: 'A', owner: 'ada' })
    expect((await store.getRow('tasks', 'b'))?.row).toMatchObject({ title: 'B' })
    await store.close()
    const raw = new DatabaseSync(path)
    expect(raw.prepare('SELECT "note" FROM "tasks" WHERE "id" = ?').get('a')).toEqual({ note: 'kept' })
    raw.close()
  })

  it('adding an enum value or a defaulted field works on a populated table', async () => {
    const path = tempFile()
    await put(path, v({ title: z.string(), status: z.enum(['todo', 'done']) }), 'a', { title: 'A', status: 'done' })
    const store = await open(path, v({ title: z.string(), status: z.enum(['todo', 'done', 'blocked']), points: z.number().int().default(3) }))
    await store.transaction(async (tx) =>
      tx.putRow('tasks', { row: { id: 'b', createdAt: t0, updatedAt: t0, syncId: 2, title: 'B', status: 'blocked', points: 1 }, groups: ['g'] }),
    )
    expect((await store.getRow('tasks', 'a'))?.row).toMatchObject({ status: 'done', points: 3 })
    expect((await store.getRow('tasks', 'b'))?.row).toMatchObject({ status: 'blocked' })
  })

  it('refuses a type change, a required field without default, and removing an enum value still in use; data untouched', async () => {
    const path = tempFile()
    const base = v({ title: z.string(), note: z.string(), status: z.enum(['todo', 'done']) })
    await put(path, base, 'a', { title: 'A', note: 'hello', status: 'done' })
    await expect(open(path, v({ title: z.string(), note: z.number(), status: z.enum(['todo', 'done']) }))).rejects.toThrow(
      /Cannot change "tasks.note" from TEXT to REAL/,
    )
    await expect(open(path, v({ title: z.string(), note: z.string(), status: z.enum(['todo', 'done']), owner: z.string() }))).rejects.toThrow(
      /tasks\.owner.*without a default/,
    )
    await expect(open(path, v({ title: z.string(), note: z.string(), status: z.enum(['todo']) }))).rejects.toThrow(/Cannot migrate "tasks"/)
    const store = await open(path, base)
    expect((await store.getRow('tasks', 'a'))?.row).toMatchObject({ note: 'hello', status: 'done' })
  })

  it('an older log table gains the run columns and index on open; its entries read back without a runId', async () => {
    const path = tempFile()
    const raw = new DatabaseSync(path)
    raw.exec(
      `CREATE TABLE "_tandem_log" ("syncId" INTEGER PRIMARY KEY, "txId" TEXT, "actor" TEXT NOT NULL, "stale" INTEGER NOT NULL, "createdAt" TEXT NOT NULL, "changes" TEXT NOT NULL)`,
    )
    raw.prepare('INSERT INTO "_tandem_log" VALUES (1, NULL, ?, 0, ?, ?)').run(JSON.stringify({ id: 'u', kind: 'human' }), t0, '[]')
    raw.close()
    const store = await open(path, v({ title: z.string() }))
    expect(await store.readLog(0, 10)).toEqual([{ syncId: 1, txId: null, actor: { id: 'u', kind: 'human' }, stale: false, createdAt: t0, changes: [] }])
    await store.transaction(async (tx) =>
      tx.appendLog({ syncId: 2, txId: null, actor: { id: 'u', kind: 'agent' }, stale: false, createdAt: t0, changes: [], runId: 'run_1' }),
    )
    expect((await store.readRunLog('run_1', 0, 10)).map((e) => e.syncId)).toEqual([2])
    await store.close()
    const check = new DatabaseSync(path)
    const plan = check.prepare('EXPLAIN QUERY PLAN SELECT * FROM "_tandem_log" WHERE "runId" = ? AND "syncId" > ? ORDER BY "syncId"').all('run_1', 0)
    expect(JSON.stringify(plan)).toContain('_tandem_log_run')
    check.close()
  })
})
