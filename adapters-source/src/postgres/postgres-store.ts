/**
 * @module `postgresStore({ url })`: one typed table per model, the log and
 * idempotency records beside them; every commit transaction takes one
 * advisory lock first, so the log's syncId stays gapless and ordered across
 * every server node on the database. Commit transactions pipeline their
 * statements (see `pipelined-transaction.ts`): once its statements are
 * prepared, a commit batch costs about three round trips however many commits
 * it holds (BEGIN + lock + head read + every read the batch needs; then all
 * its savepoints and writes; then COMMIT), where awaiting each statement cost
 * nine for a lone commit. A row the batch reads again after writing it costs
 * one more.
 *
 * The lock comes first, before the reads: a commit's row reads decide its
 * stale checks and the rows it merges into, so they must see every commit
 * that precedes it in the log. Taken later, a row read could miss another
 * node's commit to that row. What shortens the lock instead is that the whole
 * batch is sent in three round trips, and the longer a node waits for the
 * lock, the larger its next batch.
 *
 * `updateRecord` runs the same way on the same connection, under the same
 * lock: two round trips (BEGIN + lock + read, then the write with COMMIT
 * right behind it) instead of five.
 */
import type { AnyRow, Schema } from '@tandem/core/schema'
import type { GroupFilter, SchemaChange, Snapshot, Store, StoreTransaction, StoredRow } from '@tandem/core/server'
import { compileList, createRowCodec, groupClause, internalDdl, logRunIndexSql, Mutex, postgresDialect, type RowCodec } from '@tandem/core/store-kit'
import postgres from 'postgres'
import { migrateTable } from './migrate-table.ts'
import { type CommitConnection, commitConnection, type Pipeline, pipelinedTransaction, type Rows } from './pipelined-transaction.ts'
import {
  addLogColumnsSql,
  decodeIdempotency,
  decodeLogEntry,
  idempotencyParams,
  insertLogSql,
  jsonText,
  logColumns,
  logParams,
  putIdempotencySql,
  selectRecordForUpdateSql,
  upsertRecordSql,
  deleteRecordSql,
  wrongSyncId,
} from './records.ts'
import { commitLockKey, logChannel, quoteIdent } from './sql-text.ts'

export interface PostgresStoreOptions {
  /** A connection URL, e.g. `postgres://user:password@127.0.0.1:5432/tandem`. */
  url: string
  /** Connection pool size (default 10). Commits hold one connection; reads use the others (at least one). */
  max?: number
}

/** The Postgres store, plus the cross-node wake-up its log writes send. */
export interface PostgresStore extends Store {
  readonly kind: 'postgres'
  /**
   * Call `fn(syncId)` whenever any node on this database commits a log entry
   * (Postgres LISTEN/NOTIFY, delivered after commit), and `fn(0)` each time the
   * listener connection is (re)established. Resolves, once listening, to a
   * function that stops it.
   */
  listenLog(fn: (syncId: number) => void): Promise<() => Promise<void>>
}

type Sql = postgres.Sql | postgres.TransactionSql
/** `updateRecord` touches only `_tandem_records`, whose shape never changes: COMMIT may follow its write at once. */
const recordsOnly = { commitBehind: true }
type Params = postgres.ParameterOrJSON<never>[]
type Record_ = Record<string, unknown>
/** Runs one statement: on the pool, or in a pipelined transaction. */
type Query = (text: string, params?: readonly unknown[]) => Promise<Rows>

/** How one model's rows are written: the upsert, and which of its parameters are JSONB (sent as JSON text). */
interface RowWriter {
  upsert: string
  json: boolean[]
}

/**
 * A Store on PostgreSQL (required for several server nodes on one database).
 * @example
 * const server = await createServer({ schema, store: postgresStore({ url: process.env.DATABASE_URL! }) })
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const sql = postgres(options.url, { max: Math.max(1, (options.max ?? 10) - 1), onnotice: () => {} })
  // Commit transactions run on a connection of their own (see pipelined-transaction.ts), replaced when it is lost.
  const replace = (old: CommitConnection) => {
    if (commits !== old) return
    commits = commitConnection(options.url, replace)
    old.sql.end({ timeout: 0 }).catch(() => {})
  }
  let commits = commitConnection(options.url, replace)
  const codecs = new Map<string, RowCodec>()
  const mutex = new Mutex()
  const codec = (model: string) => {
    const c = codecs.get(model)
    if (!c) throw new Error(`postgresStore: unknown model ${model}`)
    return c
  }
  // Fixed statements are prepared (and cached per connection); list queries vary too much to cache.
  const run = (db: Sql, text: string, params: unknown[] = [], prepare = true) => db.unsafe<Record_[]>(text, params as Params, { prepare })

  const pooled: Query = (text, params = []) => run(sql, text, [...params])

  const getRow = async (query: Query, model: string, id: string): Promise<StoredRow | null> => {
    // Explicit columns keep the prepared statement valid when another node adds a column.
    const c = codec(model)
    const [rec] = await query(`SELECT ${c.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(model)} WHERE "id" = $1`, [id])
    return rec ? c.decode(rec) : null
  }
  const headSql = 'SELECT COALESCE(MAX("syncId"), 0) AS "h" FROM "_tandem_log"'
  const head = async (query: Query): Promise<number> => {
    const [rec] = await query(headSql)
    return Number(rec!['h'])
  }
  const rowWriter = (model: string): RowWriter => {
    const c = codec(model)
    const cols = c.columns.map(quoteIdent)
    // `_groups` and JSON fields go as JSON text (see `jsonText`), cast here.
    const json = c.columns.map((col) => col === '_groups' || c.kinds[col]?.column === 'json')
    const values = cols.map((_, i) => (json[i] ? `$${i + 1}::text::jsonb` : `$${i + 1}`))
    const updates = cols.filter((col) => col !== '"id"').map((col) => `${col} = EXCLUDED.${col}`)
    return {
      upsert: `INSERT INTO ${quoteIdent(model)} (${cols.join(', ')}) VALUES (${values.join(', ')}) ON CONFLICT ("id") DO UPDATE SET ${updates.join(', ')}`,
      json,
    }
  }
  const writers = new Map<string, RowWriter>()
  const writer = (model: string): RowWriter => {
    let w = writers.get(model)
    if (!w) writers.set(model, (w = rowWriter(model)))
    return w
  }
  const rowParams = (model: string, json: boolean[], stored: StoredRow): unknown[] =>
    codec(model)
      .encode(stored)
      .map((v, i) => (json[i] ? jsonText(v) : v))

  return {
    kind: 'postgres',
    async open(schema: Schema) {
      const changes = await sql.begin(async (db) => {
        // The same lock as commits: nodes starting together migrate one at a time.
        await run(db, 'SELECT pg_advisory_xact_lock($1::bigint)', [commitLockKey])
        for (const statement of internalDdl('postgres')) await run(db, statement, [], false)
        for (const statement of addLogColumnsSql) await run(db, statement, [], false)
        await run(db, logRunIndexSql, [], false)
        const applied: SchemaChange[] = []
        for (const model of schema.modelNames) applied.push(...(await migrateTable(db, schema, model)))
        return applied
      })
      for (const model of schema.modelNames) {
        codecs.set(model, createRowCodec(schema, model, 'postgres'))
        writers.set(model, rowWriter(model))
      }
      return changes
    },
    async close() {
      await mutex.run(() => Promise.all([commits.sql.end({ timeout: 5 }), sql.end({ timeout: 5 })]))
    },
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>, options?: { rerunnable?: boolean }): Promise<T> {
      return mutex.run(() =>
        pipelinedTransaction(
          commits,
          (db: Pipeline) => {
            // The lock and, right behind it, the head read (the commit pipeline asks for the head first): one round trip with BEGIN.
            db.write('SELECT pg_advisory_xact_lock($1::bigint)', [commitLockKey])
            const ahead = head(db.query)
            ahead.catch(() => {}) // unread, its failure still fails the transaction (as any statement of it)
            const aheadAt = db.submitted
            const tx: StoreTransaction = {
              getRow: (model, id) => getRow(db.query, model, id),
              // Writes resolve once sent (see `Pipeline.write`); a failure surfaces when their savepoint ends, or before COMMIT.
              async putRow(model, stored) {
                const { upsert, json } = writer(model)
                await db.write(upsert, rowParams(model, json, stored))
              },
              async deleteRow(model, id) {
                await db.write(`DELETE FROM ${quoteIdent(model)} WHERE "id" = $1`, [id])
              },
              // Still current while nothing else was submitted since it.
              headSyncId: () => (db.submitted === aheadAt ? ahead : head(db.query)),
              async appendLog(entry) {
                await db.write(insertLogSql, logParams(entry), wrongSyncId(entry))
              },
              async getIdempotency(scope, key) {
                const [rec] = await db.query(
                  'SELECT "scope", "key", "hash", "result", "createdAt" FROM "_tandem_idempotency" WHERE "scope" = $1 AND "key" = $2',
                  [scope, key],
                )
                return rec ? decodeIdempotency(rec) : null
              },
              async putIdempotency(record) {
                await db.write(putIdempotencySql, idempotencyParams(record))
              },
              // Not released on success (as before): savepoints nest until the transaction ends.
              savepoint: (inner) => db.savepoint(inner),
            }
            return fn(tx)
          },
          { optimistic: options?.rerunnable === true },
        ),
      )
    },
    getRow: (model, id) => getRow(pooled, model, id),
    async listRows(model, query): Promise<AnyRow[]> {
      const c = codec(model)
      const { sql: text, params } = compileList(model, query, c, postgresDialect)
      return (await run(sql, text, params, false)).map((r) => c.decodeRow(r))
    },
    async readLog(after, limit) {
      const rows = await run(sql, `SELECT ${logColumns} FROM "_tandem_log" WHERE "syncId" > $1 ORDER BY "syncId" LIMIT $2`, [after, limit])
      return rows.map(decodeLogEntry)
    },
    async readRunLog(runId, after, limit) {
      const text = `SELECT ${logColumns} FROM "_tandem_log" WHERE "runId" = $1 AND "syncId" > $2 ORDER BY "syncId" LIMIT $3`
      return (await run(sql, text, [runId, after, limit])).map(decodeLogEntry)
    },
    headSyncId: () => head(pooled),
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
        return { syncId: await head((text, params = []) => run(db, text, [...params])), rows }
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
      // Same lock as commits, on the commit connection: a record update never interleaves with a commit on any node.
      // Pipelined: BEGIN + lock + read in one round trip, then the write with COMMIT right behind it.
      return mutex.run(() =>
        pipelinedTransaction(
          commits,
          async (db: Pipeline) => {
            void db.write('SELECT pg_advisory_xact_lock($1::bigint)', [commitLockKey])
            const [r] = await db.query(selectRecordForUpdateSql, [kind, id])
            const next = fn(r ? (r['value'] as T) : null)
            await (next === null ? db.write(deleteRecordSql, [kind, id]) : db.write(upsertRecordSql, [kind, id, jsonText(next)]))
            return next
          },
          recordsOnly,
        ),
      )
    },
    async listRecords(kind) {
      const rows = await sql`SELECT "id", "value" FROM "_tandem_records" WHERE "kind" = ${kind} ORDER BY "id"`
      return rows.map((r) => ({ id: r['id'] as string, value: r['value'] }))
    },
    async listenLog(fn) {
      // postgres.js re-LISTENs on a new connection when the old one drops; `onlisten` runs then (and the first time):
      // whatever was committed while no one listened is read at once rather than at the next poll.
      const { unlisten } = await sql.listen(
        logChannel,
        (payload) => fn(Number(payload)),
        () => fn(0),
      )
      return unlisten
    },
  }
}
