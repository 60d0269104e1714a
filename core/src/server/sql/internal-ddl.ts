/** @module Tables the server keeps besides the model tables: log, idempotency, meta. */
import type { SqlDialect } from '../../schema/ddl.ts'

export function internalDdl(dialect: SqlDialect): string[] {
  const big = dialect === 'postgres' ? 'BIGINT' : 'INTEGER'
  const json = dialect === 'postgres' ? 'JSONB' : 'TEXT'
  const bool = dialect === 'postgres' ? 'BOOLEAN' : 'INTEGER'
  return [
    `CREATE TABLE IF NOT EXISTS "_tandem_log" (
  "syncId" ${big} PRIMARY KEY,
  "txId" TEXT,
  "actor" ${json} NOT NULL,
  "stale" ${bool} NOT NULL,
  "createdAt" TEXT NOT NULL,
  "changes" ${json} NOT NULL,
  "claim" ${json},
  "runId" TEXT,
  "runRevert" ${bool}
)`,
    `CREATE TABLE IF NOT EXISTS "_tandem_idempotency" (
  "scope" TEXT NOT NULL,
  "key" TEXT NOT NULL,
  "hash" TEXT NOT NULL,
  "result" ${json} NOT NULL,
  "createdAt" TEXT NOT NULL,
  PRIMARY KEY ("scope", "key")
)`,
    `CREATE TABLE IF NOT EXISTS "_tandem_records" (
  "kind" TEXT NOT NULL,
  "id" TEXT NOT NULL,
  "value" ${json} NOT NULL,
  PRIMARY KEY ("kind", "id")
)`,
    `CREATE TABLE IF NOT EXISTS "_tandem_meta" (
  "key" TEXT PRIMARY KEY,
  "value" TEXT NOT NULL
)`,
  ]
}

/** The log's columns added after its first release, for stores opening an older table (before `logRunIndexSql`). */
export const addedLogColumns = { claim: 'json', runId: 'text', runRevert: 'bool' } as const

/** The index `GET /v1/runs/:runId` and the revert read the log through (only entries that belong to a run). */
export const logRunIndexSql = 'CREATE INDEX IF NOT EXISTS "_tandem_log_run" ON "_tandem_log" ("runId", "syncId") WHERE "runId" IS NOT NULL'
