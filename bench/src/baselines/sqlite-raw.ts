/**
 * @module Baseline: raw node:sqlite inserts into the same table (same DDL,
 * same column encoding) with the sqlite store's pragmas: WAL and
 * synchronous=FULL. No log, no idempotency record, no validation: the floor
 * for a durable commit.
 */
import { DatabaseSync } from 'node:sqlite'
import { modelDdl } from '@tandem/core/schema'
import { createRowCodec } from '@tandem/core/store-kit'
import { schema, taskData } from '../lib/schema.ts'
import { now } from '../lib/stats.ts'

export interface RawDb {
  /** Insert `count` rows, `perTransaction` in each transaction; returns elapsed ms. */
  insert(count: number, perTransaction: number): number
  close(): void
}

export function openRawDb(path: string): RawDb {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('PRAGMA busy_timeout = 5000')
  for (const sql of modelDdl(schema, 'tasks', 'sqlite')) db.exec(sql)
  const codec = createRowCodec(schema, 'tasks', 'sqlite')
  const statement = db.prepare(`INSERT INTO "tasks" (${codec.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${codec.columns.map(() => '?').join(', ')})`)
  let next = 0
  return {
    insert(count, perTransaction) {
      const start = now()
      for (let done = 0; done < count;) {
        const n = Math.min(perTransaction, count - done)
        db.exec('BEGIN IMMEDIATE')
        for (let i = 0; i < n; i++) {
          const at = new Date().toISOString()
          const row = { ...taskData(next), id: `raw-${next}`, createdAt: at, updatedAt: at, syncId: next + 1 }
          next++
          statement.run(...(codec.encode({ row, groups: ['project'] }) as Array<string | number | null>))
        }
        db.exec('COMMIT')
        done += n
      }
      return now() - start
    },
    close: () => db.close(),
  }
}
