/** @module The schema, rows and log entries the store conformance suite writes. */
import type { LogEntry } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import type { IdempotencyRecord, StoredRow } from '@tandem/core/server'

/** Every column kind a store must keep: text, integer, real, boolean, enum, JSON object/array, nullable, optional. */
export const conformanceSchema = defineSchema({
  items: model(
    {
      title: z.string(),
      count: z.number().int(),
      score: z.number().nullable(),
      done: z.boolean().default(false),
      status: z.enum(['todo', 'doing', 'done']).default('todo'),
      meta: z.object({ tags: z.array(z.string()), weight: z.number(), nested: z.object({ ok: z.boolean() }).optional() }).optional(),
      list: z.array(z.number()).optional(),
      note: z.string().nullable().optional(),
      rank: z.number().int().optional(),
    },
    { indexes: ['status', ['count', 'title']] },
  ),
  notes: model({ body: z.string() }),
})

export const t0 = '2024-05-01T12:00:00.000Z'

/** An `items` row in canonical form (nullable fields present, optional fields absent unless given). */
export function item(id: string, fields: Record<string, unknown> = {}, groups: string[] = ['g1'], syncId = 1): StoredRow {
  return {
    row: { id, createdAt: t0, updatedAt: t0, syncId, title: `title ${id}`, count: 0, score: null, done: false, status: 'todo', note: null, ...fields },
    groups,
  }
}

export function note(id: string, body: string, groups: string[] = ['g1'], syncId = 1): StoredRow {
  return { row: { id, createdAt: t0, updatedAt: t0, syncId, body }, groups }
}

export function entry(syncId: number, overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    syncId,
    txId: `tx_${syncId}`,
    actor: { id: 'user_ada', kind: 'human', name: 'Ada', transport: 'websocket' },
    stale: false,
    createdAt: t0,
    changes: [
      {
        model: 'items',
        id: `i${syncId}`,
        op: 'create',
        data: { id: `i${syncId}`, createdAt: t0, updatedAt: t0, syncId, title: `entry ${syncId}`, meta: { tags: ['a'], weight: 1 } },
        previous: null,
        groups: ['g1'],
      },
    ],
    ...overrides,
  }
}

export function idempotency(scope: string, key: string, syncId: number): IdempotencyRecord {
  return {
    scope,
    key,
    hash: `hash_${scope}_${key}_${syncId}`,
    result: { object: 'commit', syncId, stale: false, rows: [{ id: 'a', createdAt: t0, updatedAt: t0, syncId, title: 'x' }, null] },
    createdAt: t0,
  }
}

/**
 * The list fixture. Titles mix cases so code-unit order ('B' < 'a') differs
 * from dictionary order; `score` and `note` hold nulls; one row has no group.
 */
export const listRows: StoredRow[] = [
  item('a', { title: 'apple', count: 3, score: 1.5, status: 'todo', note: null, done: false }, ['g1']),
  item('b', { title: 'Banana', count: 1, score: null, status: 'doing', note: 'x', done: true }, ['g2']),
  item('c', { title: 'cherry', count: 2, score: -2, status: 'done', note: 'y', done: false }, ['g1', 'g2']),
  item('d', { title: 'date', count: 3, score: 0, status: 'todo', note: null, done: true }, ['g3']),
  item('e', { title: 'elder', count: 5, score: null, status: 'doing', note: 'x', done: false }, ['g1']),
  item('f', { title: 'fig', count: 0, score: 2.25, status: 'todo', note: 'z', done: false }, ['g2']),
  item('g', { title: 'Grape', count: 4, score: 1.5, status: 'done', note: null, done: false }, []),
]
