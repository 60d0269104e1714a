/** @module `sqliteStore({ path })`: the embedded default, one node:sqlite file in WAL mode. */
import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { LogEntry } from '../../protocol/index.ts'
import { quoteIdent } from '../../schema/ddl.ts'
import type { Schema } from '../../schema/model.ts'
import type { AnyRow } from '../../schema/types.ts'
import { Mutex } from '../mutex.ts'
import { sqliteDialect } from '../sql/dialect.ts'
import { addedLogColumns, internalDdl, logRunIndexSql } from '../sql/internal-ddl.ts'
import { compileList, groupClause } from '../sql/query-sql.ts'
import { createRowCodec, type RowCodec } from '../sql/row-codec.ts'
import type { SchemaChange } from '../sql/schema-changes.ts'
import { migrateSqliteTable } from '../sql/sqlite-migrate.ts'
import { lockSqliteFile } from './sqlite-lock.ts'
import type { GroupFilter, IdempotencyRecord, Snapshot, Store, StoreTransaction, StoredRow } from '../store.ts'

/**
 * Create the database file readable by its owner only (0600), whatever the
 * umask: it holds every row, and the session-signing secret unless the server
 * is given one. SQLite creates `-wal` and `-shm` with the mode of the database
 * file. An existing file keeps its mode.
 */
function createPrivateFile(path: string): void {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return
    throw error
  }
  try {
    fchmodSync(fd, 0o600)
  } finally {
    closeSync(fd)
  }
}

export const sqliteDurabilities = ['full', 'process'] as const
export type SqliteDurability = (typeof sqliteDurabilities)[number]

export interface SqliteStoreOptions {
  /** File path, created (mode 0600) with its folder if missing; `:memory:` for a throwaway database. */
  path: string
  /**
   * `full` (default): a commit is acknowledged or seen only after its batch is fsynced, so it survives a
   * power loss. `process`: WAL with `synchronous=NORMAL`, no fsync per commit: survives a killed process,
   * but a power loss or OS crash may take the last commits (clients then ahead of the file resync).
   */
  durability?: SqliteDurability
  /**
   * Hold `<path>-lock` while open (default true): a second process opening the
   * file fails with `store_locked`. `false` for short admin connections beside
   * a running server (SQLite's busy timeout orders their writes).
   */
  lock?: boolean
}

class Statements {
  #cache = new Map<string, StatementSync>()
  readonly db: DatabaseSync
  constructor(db: DatabaseSync) {
    this.db = db
  }
  get(sql: string): StatementSync {
    let s = this.#cache.get(sql)
    if (!s) this.#cache.set(sql, (s = this.db.prepare(sql)))
    return s
  }
}

type Params = Array<string | number | bigint | null | Uint8Array>

/**
 * The embedded store: rows in typed columns, the log and idempotency records
 * in the same file, WAL journal, one transaction per commit batch.
 * @example
 * const server = await createServer({ schema, store: sqliteStore({ path: '.tandem/dev.db' }) })
 */
function durabilityPragma(durability: SqliteDurability | undefined): 'FULL' | 'NORMAL' {
  if (durability === undefined || durability === 'full') return 'FULL'
  if (durability === 'process') return 'NORMAL'
  throw new TypeError(`sqliteStore: durability must be 'full' or 'process', got ${JSON.stringify(durability)}`)
}

export function sqliteStore(options: SqliteStoreOptions): Store {
  const synchronous = durabilityPragma(options.durability)
  let writer: Statements
  let reader: Statements
  let unlock: (() => void) | undefined
  const codecs = new Map<string, RowCodec>()
  const upserts = new Map<string, string>()
  const mutex = new Mutex()
  const codec = (model: string) => {
    const c = codecs.get(model)
    if (!c) throw new Error(`sqliteStore: unknown model ${model}`)
    return c
  }
  const params = (values: unknown[]) => values as Params

  const getRow = (s: Statements, model: string, id: string): StoredRow | null => {
    const rec = s.get(`SELECT * FROM ${quoteIdent(model)} WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined
    return rec ? codec(model).decode(rec) : null
  }
  const head = (s: Statements): number => {
    const rec = s.get('SELECT MAX("syncId") AS h FROM "_tandem_log"').get() as { h: number | null }
    return Number(rec.h ?? 0)
  }
  const decodeEntry = (r: Record<string, unknown>): LogEntry => ({
    syncId: Number(r['syncId']),
    txId: (r['txId'] as string | null) ?? null,
    actor: JSON.parse(r['actor'] as string),
    stale: r['stale'] === 1,
    createdAt: r['createdAt'] as string,
    changes: JSON.parse(r['changes'] as string),
    ...(r['claim'] ? { claim: JSON.parse(r['claim'] as string) } : {}),
    ...(r['runId'] === null || r['runId'] === undefined ? {} : { runId: r['runId'] as string }),
    ...(r['runRevert'] === 1 ? { runRevert: true as const } : {}),
  })

  return {
    kind: 'sqlite',
    async open(schema: Schema) {
      if (options.path !== ':memory:') {
        mkdirSync(dirname(options.path), { recursive: true })
        createPrivateFile(options.path)
        if (options.lock !== false) unlock = lockSqliteFile(options.path)
      }
      let db: DatabaseSync | undefined
      let changes: SchemaChange[]
      try {
        db = new DatabaseSync(options.path)
        db.exec('PRAGMA journal_mode = WAL')
        db.exec(`PRAGMA synchronous = ${synchronous}`)
        db.exec('PRAGMA busy_timeout = 5000')
        for (const sql of internalDdl('sqlite')) db.exec(sql)
        const logColumns = (db.prepare('PRAGMA table_info("_tandem_log")').all() as Array<{ name: string }>).map((c) => c.name)
        for (const [column, kind] of Object.entries(addedLogColumns))
          if (!logColumns.includes(column)) db.exec(`ALTER TABLE "_tandem_log" ADD COLUMN "${column}" ${kind === 'bool' ? 'INTEGER' : 'TEXT'}`)
        db.exec(logRunIndexSql)
        changes = schema.modelNames.flatMap((model) => migrateSqliteTable(db!, schema, model))
      } catch (error) {
        // A refused migration (or an unreadable file) leaves nothing open or locked behind it.
        if (db?.isOpen) db.close()
        unlock?.()
        unlock = undefined
        throw error
      }
      writer = new Statements(db)
      for (const model of schema.modelNames) {
        const c = createRowCodec(schema, model, 'sqlite')
        codecs.set(model, c)
        upserts.set(
          model,
          `INSERT OR REPLACE INTO ${quoteIdent(model)} (${c.columns.map(quoteIdent).join(', ')}) VALUES (${c.columns.map(() => '?').join(', ')})`,
        )
      }
      // A second connection reads committed state while a write transaction is open.
      reader = options.path === ':memory:' ? writer : new Statements(new DatabaseSync(options.path, { readOnly: true }))
      return changes
    },
    async close() {
      await mutex.run(async () => {
        for (const s of new Set([reader, writer])) if (s?.db.isOpen) s.db.close()
        unlock?.()
        unlock = undefined
      })
    },
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        const db = writer.db
        let savepoints = 0
        // The log head inside this transaction, read once and then tracked.
        let txHead: number | undefined
        const tx: StoreTransaction = {
          async getRow(model, id) {
            return getRow(writer, model, id)
          },
          async putRow(model, stored) {
            writer.get(upserts.get(model)!).run(...params(codec(model).encode(stored)))
          },
          async deleteRow(model, id) {
            writer.get(`DELETE FROM ${quoteIdent(model)} WHERE "id" = ?`).run(id)
          },
          async headSyncId() {
            return (txHead ??= head(writer))
          },
          async appendLog(entry) {
            const expected = (txHead ??= head(writer)) + 1
            if (entry.syncId !== expected) throw new Error(`sqliteStore: syncId ${entry.syncId} is not ${expected}`)
            writer
              .get(
                'INSERT INTO "_tandem_log" ("syncId", "txId", "actor", "stale", "createdAt", "changes", "claim", "runId", "runRevert") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
              )
              .run(
                entry.syncId,
                entry.txId,
                JSON.stringify(entry.actor),
                entry.stale ? 1 : 0,
                entry.createdAt,
                JSON.stringify(entry.changes),
                entry.claim ? JSON.stringify(entry.claim) : null,
                entry.runId ?? null,
                entry.runRevert ? 1 : null,
              )
            txHead = entry.syncId
          },
          async getIdempotency(scope, key) {
            const r = writer.get('SELECT * FROM "_tandem_idempotency" WHERE "scope" = ? AND "key" = ?').get(scope, key) as Record<string, string> | undefined
            return r ? { scope, key, hash: r['hash']!, result: JSON.parse(r['result']!), createdAt: r['createdAt']! } : null
          },
          async putIdempotency(record: IdempotencyRecord) {
            writer
              .get('INSERT OR REPLACE INTO "_tandem_idempotency" ("scope", "key", "hash", "result", "createdAt") VALUES (?, ?, ?, ?, ?)')
              .run(record.scope, record.key, record.hash, JSON.stringify(record.result), record.createdAt)
          },
          async savepoint<R>(inner: () => Promise<R>): Promise<R> {
            // Prepared once per depth: savepoints are the per-commit unit of a batch, so this is a hot path.
            const name = `sp${++savepoints}`
            writer.get(`SAVEPOINT ${name}`).run()
            try {
              const result = await inner()
              writer.get(`RELEASE ${name}`).run()
              savepoints--
              return result
            } catch (error) {
              writer.get(`ROLLBACK TO ${name}`).run()
              writer.get(`RELEASE ${name}`).run()
              savepoints--
              txHead = undefined // the savepoint may have held log entries
              throw error
            }
          },
        }
        db.exec('BEGIN IMMEDIATE')
        try {
          const result = await fn(tx)
          db.exec('COMMIT')
          return result
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK')
          throw error
        }
      })
    },
    async getRow(model, id) {
      return getRow(reader, model, id)
    },
    async listRows(model, query): Promise<AnyRow[]> {
      const c = codec(model)
      const { sql, params: p } = compileList(model, query, c, sqliteDialect)
      return (reader.get(sql).all(...params(p)) as Record<string, unknown>[]).map((r) => c.decodeRow(r))
    },
    async readLog(after, limit) {
      const rows = reader.get('SELECT * FROM "_tandem_log" WHERE "syncId" > ? ORDER BY "syncId" LIMIT ?').all(after, limit)
      return (rows as Record<string, unknown>[]).map(decodeEntry)
    },
    async readRunLog(runId, after, limit) {
      const rows = reader.get('SELECT * FROM "_tandem_log" WHERE "runId" = ? AND "syncId" > ? ORDER BY "syncId" LIMIT ?').all(runId, after, limit)
      return (rows as Record<string, unknown>[]).map(decodeEntry)
    },
    async headSyncId() {
      return head(reader)
    },
    async logStart() {
      const r = reader.get('SELECT MIN("syncId") AS m FROM "_tandem_log"').get() as { m: number | null }
      return r.m === null ? head(reader) : Number(r.m) - 1
    },
    pruneIdempotency(before) {
      return mutex.run(async () => Number(writer.get('DELETE FROM "_tandem_idempotency" WHERE "createdAt" < ?').run(before).changes))
    },
    compactLog(through) {
      return mutex.run(
        async () => void writer.get('DELETE FROM "_tandem_log" WHERE "syncId" <= ? AND "syncId" < (SELECT MAX("syncId") FROM "_tandem_log")').run(through),
      )
    },
    async getRecord(kind, id) {
      const r = reader.get('SELECT "value" FROM "_tandem_records" WHERE "kind" = ? AND "id" = ?').get(kind, id) as { value: string } | undefined
      return r ? JSON.parse(r.value) : null
    },
    putRecord(kind, id, value, options) {
      return mutex.run(async () => {
        const verb = options?.ifAbsent ? 'INSERT OR IGNORE' : 'INSERT OR REPLACE'
        const r = writer.get(`${verb} INTO "_tandem_records" ("kind", "id", "value") VALUES (?, ?, ?)`).run(kind, id, JSON.stringify(value))
        return Number(r.changes) > 0
      })
    },
    deleteRecord(kind, id) {
      return mutex.run(async () => void writer.get('DELETE FROM "_tandem_records" WHERE "kind" = ? AND "id" = ?').run(kind, id))
    },
    updateRecord<T>(kind: string, id: string, fn: (current: T | null) => T | null) {
      return mutex.run(async () => {
        const db = writer.db
        db.exec('BEGIN IMMEDIATE')
        try {
          const r = writer.get('SELECT "value" FROM "_tandem_records" WHERE "kind" = ? AND "id" = ?').get(kind, id) as { value: string } | undefined
          const next = fn(r ? (JSON.parse(r.value) as T) : null)
          if (next === null) writer.get('DELETE FROM "_tandem_records" WHERE "kind" = ? AND "id" = ?').run(kind, id)
          else writer.get('INSERT OR REPLACE INTO "_tandem_records" ("kind", "id", "value") VALUES (?, ?, ?)').run(kind, id, JSON.stringify(next))
          db.exec('COMMIT')
          return next
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK')
          throw error
        }
      })
    },
    async listRecords(kind) {
      const rows = reader.get('SELECT "id", "value" FROM "_tandem_records" WHERE "kind" = ? ORDER BY "id"').all(kind) as Array<{ id: string; value: string }>
      return rows.map((r) => ({ id: r.id, value: JSON.parse(r.value) }))
    },
    async snapshot(groups: GroupFilter): Promise<Snapshot> {
      const db = reader.db
      db.exec('BEGIN')
      try {
        const rows: Record<string, AnyRow[]> = {}
        for (const [model, c] of codecs) {
          const p: unknown[] = []
          const clause = groupClause(groups, sqliteDialect, (g) => (p.push(g), '?'))
          const sql = `SELECT * FROM ${quoteIdent(model)}${clause ? ` WHERE ${clause}` : ''}`
          rows[model] = (reader.get(sql).all(...params(p)) as Record<string, unknown>[]).map((r) => c.decodeRow(r))
        }
        return { syncId: head(reader), rows }
      } finally {
        db.exec('COMMIT')
      }
    },
  }
}
