/**
 * @module Baseline: raw postgres.js inserts into the same table (same DDL,
 * same column encoding) in schema "raw" of the bench database: the floor for
 * a durable commit on Postgres. No log, no advisory lock, no idempotency
 * record, no validation.
 */
import { modelDdl } from '@tandem/core/schema'
import { createRowCodec } from '@tandem/core/store-kit'
import postgres from 'postgres'
import { schema, taskData } from '../lib/schema.ts'
import { now } from '../lib/stats.ts'

export interface RawPostgres {
  /**
   * Insert until `count` rows or `timeCapMs`: `writers` concurrent loops
   * (one connection each), every transaction holding `perTransaction` rows.
   */
  insert(count: number, writers: number, perTransaction: number, timeCapMs: number): Promise<{ done: number; ms: number }>
  close(): Promise<void>
}

export async function openRawPostgres(url: string, maxWriters: number): Promise<RawPostgres> {
  const sql = postgres(url, { max: maxWriters, onnotice: () => {}, connection: { search_path: 'raw' } })
  await sql.unsafe('CREATE SCHEMA IF NOT EXISTS raw')
  for (const ddl of modelDdl(schema, 'tasks', 'postgres')) await sql.unsafe(ddl)
  const codec = createRowCodec(schema, 'tasks', 'postgres')
  const cols = codec.columns.map((c) => `"${c}"`).join(', ')
  const row = (n: number) => `(${codec.columns.map((_, i) => `$${n * codec.columns.length + i + 1}`).join(', ')})`
  const statements = new Map<number, string>()
  const insertSql = (rows: number) => {
    let s = statements.get(rows)
    if (!s) statements.set(rows, (s = `INSERT INTO "tasks" (${cols}) VALUES ${Array.from({ length: rows }, (_, n) => row(n)).join(', ')}`))
    return s
  }
  let next = 0
  return {
    async insert(count, writers, perTransaction, timeCapMs) {
      let issued = 0
      let done = 0
      const start = now()
      const deadline = start + timeCapMs
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (issued < count && now() < deadline) {
            const n = Math.min(perTransaction, count - issued)
            issued += n
            const params: unknown[] = []
            for (let k = 0; k < n; k++) {
              const i = next++
              const at = new Date().toISOString()
              params.push(...codec.encode({ row: { ...taskData(i), id: `raw-${i}`, createdAt: at, updatedAt: at, syncId: i + 1 }, groups: ['project'] }))
            }
            await sql.begin((tx) => tx.unsafe(insertSql(n), params as postgres.ParameterOrJSON<never>[], { prepare: true }))
            done += n
          }
        }),
      )
      return { done, ms: now() - start }
    },
    close: () => sql.end({ timeout: 2 }),
  }
}
