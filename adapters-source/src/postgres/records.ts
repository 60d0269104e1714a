/** @module Log entries and idempotency records ⇄ Postgres rows. */
import type { LogEntry } from '@tandem/core'
import type { IdempotencyRecord } from '@tandem/core/server'
import { logChannel } from './sql-text.ts'

export const insertLogSql =
  `WITH "ins" AS (
     INSERT INTO "_tandem_log" ("syncId", "txId", "actor", "stale", "createdAt", "changes", "claim")
     SELECT $1::bigint, $2::text, $3::jsonb, $4::boolean, $5::text, $6::jsonb, $7::jsonb
      WHERE $1::bigint = (SELECT COALESCE(MAX("syncId"), 0) + 1 FROM "_tandem_log")
     RETURNING "syncId")
   SELECT pg_notify('${logChannel}', "syncId"::text) FROM "ins"`

/** Log entries of claim lifecycle events carry a `claim` object; older tables lack the column until `open()` adds it. */
export const addClaimColumnSql = 'ALTER TABLE "_tandem_log" ADD COLUMN IF NOT EXISTS "claim" JSONB'

export const logColumns = '"syncId", "txId", "actor", "stale", "createdAt", "changes", "claim"'

export const logParams = (e: LogEntry): unknown[] => [e.syncId, e.txId, e.actor, e.stale, e.createdAt, e.changes, (e as { claim?: unknown }).claim ?? null]

export function decodeLogEntry(r: Record<string, unknown>): LogEntry {
  const entry = {
    syncId: Number(r['syncId']),
    txId: (r['txId'] as string | null) ?? null,
    actor: r['actor'],
    stale: r['stale'] === true,
    createdAt: r['createdAt'] as string,
    changes: r['changes'],
    ...(r['claim'] === null || r['claim'] === undefined ? {} : { claim: r['claim'] }),
  }
  return entry as LogEntry
}

export const putIdempotencySql =
  `INSERT INTO "_tandem_idempotency" ("scope", "key", "hash", "result", "createdAt") VALUES ($1, $2, $3, $4, $5)
   ON CONFLICT ("scope", "key") DO UPDATE SET "hash" = EXCLUDED."hash", "result" = EXCLUDED."result", "createdAt" = EXCLUDED."createdAt"`

export const idempotencyParams = (r: IdempotencyRecord): unknown[] => [r.scope, r.key, r.hash, r.result, r.createdAt]

export function decodeIdempotency(r: Record<string, unknown>): IdempotencyRecord {
  return {
    scope: r['scope'] as string,
    key: r['key'] as string,
    hash: r['hash'] as string,
    result: r['result'] as IdempotencyRecord['result'],
    createdAt: r['createdAt'] as string,
  }
}
