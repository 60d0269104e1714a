/**
 * @module The `Store` interface: everything the server persists goes through it.
 *
 * A store keeps model rows (with the sync groups each row belongs to), the
 * change log numbered by a gapless `syncId`, and idempotency records. Writes
 * happen only inside `transaction()`; the commit pipeline runs many commits
 * in one transaction, each inside a `savepoint()` so one failing commit rolls
 * back alone (claim lifecycle entries, which write no rows, go without one). Every implementation passes `@tandem/sources/conformance`.
 */
import type { Schema } from '../schema/model.ts'
import type { Condition, SortKey } from '../schema/query.ts'
import type { AnyRow } from '../schema/types.ts'
import type { SchemaChange } from './sql/schema-changes.ts'
import type { CommitResult, LogEntry } from '../protocol/index.ts'

/** A row plus the sync groups it belongs to (never sent to clients). */
export interface StoredRow {
  row: AnyRow
  groups: string[]
}

/** `null` groups means "every group" (a project-wide secret key). */
export type GroupFilter = readonly string[] | null

export interface ListQuery {
  conditions: readonly Condition[]
  sort: readonly SortKey[]
  /** Return rows strictly after this one in `sort` order (keyset pagination). */
  after?: Record<string, unknown>
  limit: number
  groups: GroupFilter
}

export interface IdempotencyRecord {
  /** Who used the key: keys are scoped per credential. */
  scope: string
  key: string
  /** Hash of the request body, to tell a replay from a reuse. */
  hash: string
  result: CommitResult
  createdAt: string
}

/** A small named record (a key, a session revocation, a webhook endpoint…): not a model row. */
export interface StoreRecord {
  id: string
  value: unknown
}

export interface Snapshot {
  syncId: number
  rows: Record<string, AnyRow[]>
}

/** Reads and writes inside one transaction. Reads see the transaction's own writes. */
export interface StoreTransaction {
  getRow(model: string, id: string): Promise<StoredRow | null>
  putRow(model: string, row: StoredRow): Promise<void>
  deleteRow(model: string, id: string): Promise<void>
  /** The highest syncId in the log, as seen inside this transaction. */
  headSyncId(): Promise<number>
  /** Append the next entry; `entry.syncId` must be `headSyncId() + 1`. */
  appendLog(entry: LogEntry): Promise<void>
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>
  putIdempotency(record: IdempotencyRecord): Promise<void>
  /** Run `fn`; if it throws, undo only what it wrote, then rethrow. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>
}

export interface Store {
  /** A short name for logs and metrics, e.g. `sqlite`. */
  readonly kind: string
  /**
   * Create or migrate tables for the schema. Called once by `createServer`.
   * SQL stores resolve to the changes they made to the model tables (empty:
   * already up to date), which `tandem schema push` prints.
   */
  open(schema: Schema): Promise<SchemaChange[] | void>
  close(): Promise<void>
  /**
   * Run `fn` in one atomic, durable transaction; at most one runs at a time per store.
   * With `rerunnable`, the caller promises `fn` keeps no effects outside `tx` and may be
   * run again from the start: a store may then defer a savepoint's failures and, should
   * one show up, roll everything back and run `fn` again (Postgres does, to send a whole
   * batch of commits without waiting on each).
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>, options?: { rerunnable?: boolean }): Promise<T>
  /** Committed state only. */
  getRow(model: string, id: string): Promise<StoredRow | null>
  listRows(model: string, query: ListQuery): Promise<AnyRow[]>
  /** Log entries with syncId > `after`, ascending, at most `limit`. */
  readLog(after: number, limit: number): Promise<LogEntry[]>
  headSyncId(): Promise<number>
  /** Log entries whose `runId` is `runId`, with syncId > `after`, ascending, at most `limit` (served by an index). */
  readRunLog(runId: string, after: number, limit: number): Promise<LogEntry[]>
  /** The syncId just before the oldest entry still kept (0 when nothing was compacted away). */
  logStart(): Promise<number>
  /** Drop log entries with syncId ≤ `through` (never the head entry: it anchors the next syncId). */
  compactLog(through: number): Promise<void>
  /** Forget idempotency records created before `before` (ISO time); resolves to how many went. */
  pruneIdempotency(before: string): Promise<number>
  /** Every row visible to `groups` and the syncId they are consistent with. */
  snapshot(groups: GroupFilter): Promise<Snapshot>
  /** Read a record of `kind` (e.g. `key`), or null. */
  getRecord(kind: string, id: string): Promise<unknown | null>
  /** Write a record; with `ifAbsent`, keep an existing one and return false. */
  putRecord(kind: string, id: string, value: unknown, options?: { ifAbsent?: boolean }): Promise<boolean>
  deleteRecord(kind: string, id: string): Promise<void>
  /**
   * Atomically replace a record with `fn(current)` (null deletes it), serialized
   * with commit transactions and with every other node on the same database.
   * `fn` must be synchronous and pure. Resolves to the new value.
   */
  updateRecord<T>(kind: string, id: string, fn: (current: T | null) => T | null): Promise<T | null>
  /** Every record of `kind`. */
  listRecords(kind: string): Promise<StoreRecord[]>
  /**
   * Optional, for stores shared by several server nodes: call `listener` after
   * any node appends to the log (e.g. Postgres LISTEN/NOTIFY), and each time
   * the listener (re)connects, since notifications sent while it was down are
   * gone. Only a wake-up hint: the server reads the log after its head, and
   * polls too. Resolves to an unsubscribe function.
   */
  listenLog?(listener: (syncId: number) => void): Promise<() => Promise<void>>
}

/** True when a row in `rowGroups` is visible to a session with `filter`. */
export function groupsVisible(rowGroups: readonly string[], filter: GroupFilter): boolean {
  if (filter === null) return true
  for (const g of rowGroups) if (filter.includes(g)) return true
  return false
}

/** A committed row as `groups` may see it: null when missing or outside those groups (invisible, not forbidden). */
export async function getVisibleRow(store: Store, model: string, id: string, groups: GroupFilter): Promise<StoredRow | null> {
  const found = await store.getRow(model, id)
  return found && groupsVisible(found.groups, groups) ? found : null
}
