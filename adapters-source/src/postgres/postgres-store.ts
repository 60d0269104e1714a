/**
 * @module `postgresStore({ url })`: one typed table per model, the log and
 * idempotency records beside them; every commit transaction takes one
 * advisory lock first, so the log's syncId stays gapless and ordered across
 * every server node on the database.
 */
import type { AnyRow, Schema } from '@tandem/core/schema'
import {
  compileList,
  createRowCodec,
  type GroupFilter,
  groupClause,
  internalDdl,
  Mutex,
  postgresDialect,
  type RowCodec,
  type Snapshot,
  type Store,
  type StoreTransaction,
  type StoredRow,
} from '@tandem/core/server'
import postgres from 'postgres'
import { migrateTable } from './migrate-table.ts'
import { addClaimColumnSql, decodeIdempotency, decodeLogEntry, idempotencyParams, insertLogSql, logColumns, logParams, putIdempotencySql } from './records.ts'
import { commitLockKey, logChannel, quoteIdent } from './sql-text.ts'

export interface PostgresStoreOptions {
  /** A connection URL, e.g. `postgres://user:password@127.0.0.1:5432/tandem`. */
  url: string
  /** Connection pool size (default 10). A commit holds one connection; reads use the others. */
  max?: number
}

/** The Postgres store, plus the cross-node wake-up its log writes send. */
export interface PostgresStore extends Store {
  readonly kind: 'postgres'
  /**
   * Call `fn(syncId)` whenever any node on this database commits a log entry
   * (Postgres LISTEN/NOTIFY, delivered after commit). Resolves, once listening,
   * to a function that stops it.
   */
  listenLog(fn: (syncId: number) => void): Promise<() => Promise<void>>
}

type Sql = postgres.Sql | postgres.TransactionSql
type Params = postgres.ParameterOrJSON<never>[]
type Record_ = Record<string, unknown>

/**
 * A Store on PostgreSQL (required for several server nodes on one database).
 * @example
 * const server = await createServer({ schema, store: postgresStore({ url: process.env.DATABASE_URL! }) })
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} })
  const codecs = new Map<string, RowCodec>()
  const mutex = new Mutex()
  const codec = (model: string) => {
    const c = codecs.get(model)
    if (!c) throw new Error(`postgresStore: unknown model ${model}`)
    return c
  }
  // Fixed statements are prepared (and cached per connection); list queries vary too much to cache.
  const run = (db: Sql, text: string, params: unknown[] = [], prepare = true) =>
    db.unsafe<Record_[]>(text, params as Params, { prepare })

  const getRow = async (db: Sql, model: string, id: string): Promise<StoredRow | null> => {
    // Explicit columns keep the prepared statement valid when another node adds a column.
    const c = codec(model)
    const [rec] = await run(db, `SELECT ${c.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(model)} WHERE "id" = $1`, [id])
    return rec ? c.decode(rec) : null
  }
  const head = async (db: Sql): Promise<number> => {
    const [rec] = await run(db, 'SELECT COALESCE(MAX("syncId"), 0) AS "h" FROM "_tandem_log"')
    return Number(rec!['h'])
  }
  const upsertSql = (model: string) => {
    const c = codec(model)
    const cols = c.columns.map(quoteIdent)
    const updates = cols.filter((col) => col !== '"id"').map((col) => `${col} = EXCLUDED.${col}`)
    return `INSERT INTO ${quoteIdent(model)} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT ("id") DO UPDATE SET ${updates.join(', ')}`
  }
  const upserts = new Map<string, string>()

  return {
    kind: 'postgres',
    async open(schema: Schema) {
      await sql.begin(async (db) => {
        // The same lock as commits: nodes starting together migrate one at a time.
        await run(db, 'SELECT pg_advisory_xact_lock($1::bigint)', [commitLockKey])
        for (const statement of internalDdl('postgres')) await run(db, statement, [], false)
        await run(db, addClaimColumnSql, [], false)
        for (const model of schema.modelNames) await migrateTable(db, schema, model)
      })
      for (const model of schema.modelNames) {
        codecs.set(model, createRowCodec(schema, model, 'postgres'))
        upserts.set(model, upsertSql(model))
      }
    },
    async close() {
      await mutex.run(() => sql.end({ timeout: 5 }))
    },
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        const out = await sql.begin(async (root) => {
          await run(root, 'SELECT pg_advisory_xact_lock($1::bigint)', [commitLockKey])
          // Queries go through the innermost open savepoint, so a failed one rolls back only that savepoint.
          let current: postgres.TransactionSql = root
          const tx: StoreTransaction = {
            getRow: (model, id) => getRow(current, model, id),
            async putRow(model, stored) {
              await run(current, upserts.get(model) ?? upsertSql(model), codec(model).encode(stored))
            },
            async deleteRow(model, id) {
              await run(current, `DELETE FROM ${quoteIdent(model)} WHERE "id" = $1`, [id])
            },
            headSyncId: () => head(current),
            async appendLog(entry) {
              const inserted = await run(current, insertLogSql, logParams(entry))
              if (inserted.length === 1) return
              throw new Error(`postgresStore: syncId ${entry.syncId} is not ${(await head(current)) + 1}`)
            },
            async getIdempotency(scope, key) {
              const [rec] = await run(current, 'SELECT "scope", "key", "hash", "result", "createdAt" FROM "_tandem_idempotency" WHERE "scope" = $1 AND "key" = $2', [scope, key])
              return rec ? decodeIdempotency(rec) : null
            },
            async putIdempotency(record) {
              await run(current, putIdempotencySql, idempotencyParams(record))
            },
            async savepoint<R>(inner: () => Promise<R>): Promise<R> {
              // postgres.js rolls back to the savepoint and rethrows when `inner` (or any query in it) fails.
              // It does not RELEASE on success; the savepoints simply nest until the transaction ends.
              const parent = current
              const result = await parent.savepoint(async (sp) => {
                current = sp
                try {
                  return { value: await inner() }
                } finally {
                  current = parent
                }
              })
              return result.value
            },
          }
          return { value: await fn(tx) }
        })
        return out.value
      })
    },
    getRow: (model, id) => getRow(sql, model, id),
    async listRows(model, query): Promise<AnyRow[]> {
      const c = codec(model)
      const { sql: text, params } = compileList(model, query, c, postgresDialect)
      return (await run(sql, text, params, false)).map((r) => c.decodeRow(r))
    },
    async readLog(after, limit) {
      const rows = await run(sql, `SELECT ${logColumns} FROM "_tandem_log" WHERE "syncId" > $1 ORDER BY "syncId" LIMIT $2`, [after, limit])
      return rows.map(decodeLogEntry)
    },
    headSyncId: () => head(sql),
    async snapshot(groups: GroupFilter): Promise<Snapshot> {
      // One REPEATABLE READ snapshot: the rows and the head are from the same instant.
      const out = await sql.begin('isolation level repeatable read read only', async (db) => {
        const rows: Record<string, AnyRow[]> = {}
        for (const [model, c] of codecs) {
          const params: unknown[] = []
          const clause = groupClause(groups, postgresDialect, (g) => (params.push(g), `$${params.length}`))
          const text = `SELECT * FROM ${quoteIdent(model)}${clause ? ` WHERE ${clause}` : ''} ORDER BY "id"`
          rows[model] = (await run(db, text, params, false)).map((r) => c.decodeRow(r))
        }
        return { syncId: await head(db), rows }
      })
      return out
    },
    async logStart() {
      const [r] = await sql`SELECT MIN("syncId") AS m, MAX("syncId") AS h FROM "_tandem_log"`
      return r?.['m'] === null || r?.['m'] === undefined ? Number(r?.['h'] ?? 0) : Number(r['m']) - 1
    },
    async pruneIdempotency(before) {
      const rows = await sql`DELETE FROM "_tandem_idempotency" WHERE "createdAt" < ${before} RETURNING 1`
      return rows.length
    },
    async compactLog(through) {
      await sql`DELETE FROM "_tandem_log" WHERE "syncId" <= ${through} AND "syncId" < (SELECT MAX("syncId") FROM "_tandem_log")`
    },
    async getRecord(kind, id) {
      const [r] = await sql`SELECT "value" FROM "_tandem_records" WHERE "kind" = ${kind} AND "id" = ${id}`
      return r ? r['value'] : null
    },
    async putRecord(kind, id, value, options) {
      const json = sql.json(value as never)
      const rows = options?.ifAbsent
        ? await sql`INSERT INTO "_tandem_records" ("kind", "id", "value") VALUES (${kind}, ${id}, ${json}) ON CONFLICT DO NOTHING RETURNING 1`
        : await sql`INSERT INTO "_tandem_records" ("kind", "id", "value") VALUES (${kind}, ${id}, ${json}) ON CONFLICT ("kind", "id") DO UPDATE SET "value" = EXCLUDED."value" RETURNING 1`
      return rows.length > 0
    },
    async deleteRecord(kind, id) {
      await sql`DELETE FROM "_tandem_records" WHERE "kind" = ${kind} AND "id" = ${id}`
    },
    updateRecord<T>(kind: string, id: string, fn: (current: T | null) => T | null) {
      // Same lock as commits: a record update never interleaves with a commit on any node.
      return mutex.run(() =>
        sql.begin(async (db) => {
          await db`SELECT pg_advisory_xact_lock(${commitLockKey})`
          const [r] = await db`SELECT "value" FROM "_tandem_records" WHERE "kind" = ${kind} AND "id" = ${id} FOR UPDATE`
          const next = fn(r ? (r['value'] as T) : null)
          if (next === null) await db`DELETE FROM "_tandem_records" WHERE "kind" = ${kind} AND "id" = ${id}`
          else {
            await db`INSERT INTO "_tandem_records" ("kind", "id", "value") VALUES (${kind}, ${id}, ${sql.json(next as never)}) ON CONFLICT ("kind", "id") DO UPDATE SET "value" = EXCLUDED."value"`
          }
          return next
        }),
      ) as Promise<T | null>
    },
    async listRecords(kind) {
      const rows = await sql`SELECT "id", "value" FROM "_tandem_records" WHERE "kind" = ${kind} ORDER BY "id"`
      return rows.map((r) => ({ id: r['id'] as string, value: r['value'] }))
    },
    async listenLog(fn) {
      const { unlisten } = await sql.listen(logChannel, (payload) => fn(Number(payload)))
      return unlisten
    },
  }
}
