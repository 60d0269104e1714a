/**
 * @module postgresStore's `updateRecord` runs as a pipelined transaction on
 * the commit connection: BEGIN + lock + read in one round trip, then its
 * write, then COMMIT. Whatever fails there must leave the record as it was,
 * reject with the real cause, and leave the store usable; odd keys and
 * values must round-trip; and it stays serialized with commits, also across
 * nodes.
 */
import type { LogEntry } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { postgresStore, type PostgresStore } from '@tandem/sources'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { holdCommitLock } from './commit-lock.ts'
import { postgresAvailable, useTestStore } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const t0 = '2024-05-01T12:00:00.000Z'

const schema = defineSchema({ items: model({ title: z.string() }) })
const entry = (syncId: number): LogEntry =>
  ({ syncId, txId: `tx_${syncId}`, actor: { id: 'u', kind: 'human' }, stale: false, createdAt: t0, changes: [] }) as LogEntry

/** A Postgres error with this SQLSTATE code. */
const pgError = (code: string) => expect.objectContaining({ name: 'PostgresError', code })

/** Strings that break naive quoting in SQL text. */
const awkward = [
  `it's`,
  `back\\slash\\'`,
  `$$dollar$$`,
  `$tag$x$tag$`,
  `'); DROP TABLE "_tandem_records"; --`,
  `line\nbreak\ttab`,
  `ünïcödé 😀 漢字`,
  `"quoted"`,
  '',
]

describe.skipIf(!withPostgres)('postgresStore: updateRecord', () => {
  const { database, store: current } = useTestStore(schema, { beforeAll, afterAll, beforeEach, afterEach })
  let store: PostgresStore
  beforeEach(() => {
    store = current()
  })

  /** The store still takes record updates and commits. */
  const usable = async () => {
    expect(await store.updateRecord<{ n: number }>('after', 'x', (cur) => ({ n: (cur?.n ?? 0) + 1 }))).toEqual({ n: 1 })
    await store.transaction(async (tx) => tx.appendLog(entry((await tx.headSyncId()) + 1)))
    expect(await store.getRecord('after', 'x')).toEqual({ n: 1 })
  }

  it('a write Postgres refuses rejects with its error and leaves the record unchanged', async () => {
    await store.putRecord('k', 'r', { v: 'before' })
    // jsonb refuses \u0000: the write fails on Postgres, after the read succeeded.
    await expect(store.updateRecord<{ v: string }>('k', 'r', () => ({ v: 'nul \u0000 inside' }))).rejects.toEqual(pgError('22P05'))
    expect(await store.getRecord('k', 'r')).toEqual({ v: 'before' })
    // Twice in a row, and for a record that does not exist yet.
    await expect(store.updateRecord('k', 'new', () => ({ v: '\u0000' }))).rejects.toEqual(pgError('22P05'))
    expect(await store.getRecord('k', 'new')).toBeNull()
    // A NUL in the key fails too (as it did as a parameter), and changes nothing.
    await expect(store.updateRecord('k', 'r\u0000', () => ({ v: 'x' }))).rejects.toEqual(pgError('22021'))
    await expect(store.updateRecord('k', 'r\u0000', () => null)).rejects.toEqual(pgError('22021'))
    expect(await store.listRecords('k')).toEqual([{ id: 'r', value: { v: 'before' } }])
    await usable()
  })

  it('fn throwing rolls back and rejects with what it threw; the store goes on', async () => {
    await store.putRecord('k', 'r', { v: 1 })
    const boom = new Error('boom')
    await expect(
      store.updateRecord('k', 'r', () => {
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await store.getRecord('k', 'r')).toEqual({ v: 1 })
    // A value postgres.js refuses itself (not JSON): still rejected, nothing written.
    await expect(store.updateRecord('k', 'r', () => undefined as unknown as { v: number })).rejects.toThrow()
    expect(await store.getRecord('k', 'r')).toEqual({ v: 1 })
    await usable()
  })

  /** Every awkward string as kind, id and inside the value: written, updated, read back, deleted. */
  const roundTrip = async (store: PostgresStore) => {
    for (const [i, text] of awkward.entries()) {
      const value = { text, nested: [text, { [text]: i }], n: i, ok: true, none: null }
      expect(await store.updateRecord(text, text, (cur) => (expect(cur).toBeNull(), value))).toEqual(value)
      expect(await store.getRecord(text, text)).toEqual(value)
      expect(await store.updateRecord(text, text, (cur) => (expect(cur).toEqual(value), { ...value, n: -1 }))).toEqual({ ...value, n: -1 })
      expect(await store.getRecord(text, text)).toEqual({ ...value, n: -1 })
    }
    expect((await database().exec('SELECT count(*)::int AS "n" FROM "_tandem_records"'))[0]).toEqual({ n: awkward.length })
    for (const text of awkward) expect(await store.updateRecord(text, text, () => null)).toBeNull()
    expect((await database().exec('SELECT count(*)::int AS "n" FROM "_tandem_records"'))[0]).toEqual({ n: 0 })
  }

  it('keys and values that need quoting round-trip exactly, and delete exactly', async () => {
    await roundTrip(store)
    // Plain JSON values, not only objects.
    for (const value of ['just a string', 42, true, [1, 'two'], `quote ' and \\`]) {
      expect(await store.updateRecord('plain', 'v', () => value)).toEqual(value)
      expect(await store.getRecord('plain', 'v')).toEqual(value)
    }
  })

  it('keys and values that need quoting round-trip also where backslashes escape in string literals (standard_conforming_strings off)', async () => {
    const name = (await database().exec('SELECT current_database() AS "name"'))[0]!['name'] as string
    await database().exec(`ALTER DATABASE "${name}" SET standard_conforming_strings = off`)
    const old = postgresStore({ url: database().url, max: 3 })
    try {
      await old.open(schema)
      await roundTrip(old)
    } finally {
      await old.close()
      await database().exec(`ALTER DATABASE "${name}" RESET standard_conforming_strings`)
    }
  })

  it('stays atomic and serialized with commits across two nodes on one database', async () => {
    const other = postgresStore({ url: database().url, max: 3 })
    await other.open(schema)
    try {
      const bump = (s: PostgresStore) => s.updateRecord<{ n: number }>('counter', 'c', (cur) => ({ n: (cur?.n ?? 0) + 1 }))
      const commit = (s: PostgresStore) => s.transaction(async (tx) => tx.appendLog(entry((await tx.headSyncId()) + 1)))
      const work: Promise<unknown>[] = []
      for (let i = 0; i < 20; i++) work.push(bump(store), bump(other), commit(store), commit(other))
      await Promise.all(work)
      expect(await store.getRecord('counter', 'c')).toEqual({ n: 40 })
      const log = await store.readLog(0, 100)
      expect(log.map((e) => e.syncId)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    } finally {
      await other.close()
    }
  })

  it('waits for the commit lock held elsewhere; a connection Postgres ends meanwhile rejects it, and the store goes on', async () => {
    await store.putRecord('k', 'r', { v: 'before' })
    const lock = await holdCommitLock(database().url)
    try {
      let ran = false
      const waiting = store.updateRecord('k', 'r', () => ((ran = true), { v: 'never' }))
      expect(ran).toBe(false)
      await lock.terminateWaiter()
      await expect(waiting).rejects.toThrow()
      expect(ran).toBe(false)
    } finally {
      await lock.release()
    }
    expect(await store.getRecord('k', 'r')).toEqual({ v: 'before' })
    await usable()
  })
})
