/** @module Log entries and idempotency records ⇄ Postgres rows. */
import type { LogEntry } from '@tandem/core'
import type { IdempotencyRecord } from '@tandem/core/server'
import { addedLogColumns } from '@tandem/core/store-kit'
import postgres from 'postgres'
import { logChannel } from './sql-text.ts'

/**
 * JSON for a JSONB parameter, as text the SQL casts (`$n::text::jsonb`): the
 * same text postgres.js would send, made here, so the statement holds only
 * plain values and can be pipelined. `undefined`, and what JSON cannot
 * represent, stay as they are (postgres.js then refuses them, as before).
 */
export function jsonText(value: unknown): unknown {
  if (value === null || value === undefined) return value
  const text = JSON.stringify(value)
  return typeof text === 'string' ? text : value
}

/**
 * Appends the entry only when its syncId is the head + 1; any other syncId
 * becomes NULL, which the primary key refuses: an error in Postgres (not a
 * row count to check afterwards), so it aborts the transaction like any
 * failed write. See `wrongSyncId`.
 */
export const insertLogSql = `WITH "ins" AS (
     INSERT INTO "_tandem_log" ("syncId", "txId", "actor", "stale", "createdAt", "changes", "claim", "runId", "runRevert")
     SELECT CASE WHEN $1::bigint = (SELECT COALESCE(MAX("syncId"), 0) + 1 FROM "_tandem_log") THEN $1::bigint END,
            $2::text, $3::text::jsonb, $4::boolean, $5::text, $6::text::jsonb, $7::text::jsonb, $8::text, $9::boolean
     RETURNING "syncId")
   SELECT pg_notify('${logChannel}', "syncId"::text) FROM "ins"`

/** The error `insertLogSql` fails with for a syncId that is not the head + 1, made readable. */
export function wrongSyncId(entry: LogEntry): (error: unknown) => unknown {
  return (error) =>
    error instanceof postgres.PostgresError && error.code === '23502' && error.table_name === '_tandem_log' && error.column_name === 'syncId'
      ? new Error(`postgresStore: syncId ${entry.syncId} is not the log head + 1`, { cause: error })
      : error
}

const pgColumnType = { json: 'JSONB', text: 'TEXT', bool: 'BOOLEAN' } as const

/** Columns added to the log after its first release (claim events, runs); older tables lack them until `open()` runs these. */
export const addLogColumnsSql = Object.entries(addedLogColumns).map(
  ([column, kind]) => `ALTER TABLE "_tandem_log" ADD COLUMN IF NOT EXISTS "${column}" ${pgColumnType[kind]}`,
)

export const logColumns = '"syncId", "txId", "actor", "stale", "createdAt", "changes", "claim", "runId", "runRevert"'

export const logParams = (e: LogEntry): unknown[] => [
  e.syncId,
  e.txId,
  jsonText(e.actor),
  e.stale,
  e.createdAt,
  jsonText(e.changes),
  jsonText((e as { claim?: unknown }).claim ?? null),
  e.runId ?? null,
  e.runRevert ?? null,
]

export function decodeLogEntry(r: Record<string, unknown>): LogEntry {
  const entry = {
    syncId: Number(r['syncId']),
    txId: (r['txId'] as string | null) ?? null,
    actor: r['actor'],
    stale: r['stale'] === true,
    createdAt: r['createdAt'] as string,
    changes: r['changes'],
    ...(r['claim'] === null || r['claim'] === undefined ? {} : { claim: r['claim'] }),
    ...(r['runId'] === null || r['runId'] === undefined ? {} : { runId: r['runId'] }),
    ...(r['runRevert'] === true ? { runRevert: true } : {}),
  }
  return entry as LogEntry
}

export const putIdempotencySql = `INSERT INTO "_tandem_idempotency" ("scope", "key", "hash", "result", "createdAt") VALUES ($1, $2, $3, $4::text::jsonb, $5)
   ON CONFLICT ("scope", "key") DO UPDATE SET "hash" = EXCLUDED."hash", "result" = EXCLUDED."result", "createdAt" = EXCLUDED."createdAt"`

export const idempotencyParams = (r: IdempotencyRecord): unknown[] => [r.scope, r.key, r.hash, jsonText(r.result), r.createdAt]

export function decodeIdempotency(r: Record<string, unknown>): IdempotencyRecord {
  return {
    scope: r['scope'] as string,
    key: r['key'] as string,
    hash: r['hash'] as string,
    result: r['result'] as IdempotencyRecord['result'],
    createdAt: r['createdAt'] as string,
  }
}

/** `updateRecord`'s read (plain values only, so it pipelines on the commit connection). */
export const selectRecordForUpdateSql = 'SELECT "value" FROM "_tandem_records" WHERE "kind" = $1 AND "id" = $2 FOR UPDATE'

/** `updateRecord`'s writes; the value goes as JSON text (`jsonText`), cast in SQL. */
export const upsertRecordSql =
  'INSERT INTO "_tandem_records" ("kind", "id", "value") VALUES ($1, $2, $3::text::jsonb) ON CONFLICT ("kind", "id") DO UPDATE SET "value" = EXCLUDED."value"'
export const deleteRecordSql = 'DELETE FROM "_tandem_records" WHERE "kind" = $1 AND "id" = $2'
