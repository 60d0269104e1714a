/** @module `memoryStore()`: the Store in plain maps, for tests and throwaway servers. */
import type { LogEntry } from '../../protocol/index.ts'
import { isAfter, matches, rowComparator } from '../../schema/query.ts'
import type { AnyRow } from '../../schema/types.ts'
import { Mutex } from '../mutex.ts'
import {
  type GroupFilter,
  groupsVisible,
  type IdempotencyRecord,
  type ListQuery,
  type Snapshot,
  type Store,
  type StoreTransaction,
  type StoredRow,
} from '../store.ts'

const rowKey = (model: string, id: string) => `${model}\u0000${id}`

/**
 * A Store that lives in memory; everything is gone when the process ends.
 * Writes of an open transaction sit in an overlay, so reads outside it see
 * committed state only, as with the SQL stores.
 * @example
 * const server = await createServer({ schema, store: memoryStore() })
 */
export function memoryStore(): Store {
  const tables = new Map<string, Map<string, StoredRow>>()
  const log: LogEntry[] = []
  /** The index by runId: each run's entries, ascending (compacted ones are skipped on read and dropped on compaction). */
  const runs = new Map<string, LogEntry[]>()
  /** syncId of log[0] minus one (entries before it were compacted away). */
  let start = 0
  const idempotency = new Map<string, IdempotencyRecord>()
  const records = new Map<string, Map<string, unknown>>()
  const kindOf = (kind: string) => {
    let m = records.get(kind)
    if (!m) records.set(kind, (m = new Map()))
    return m
  }
  const mutex = new Mutex()
  const table = (model: string) => {
    let t = tables.get(model)
    if (!t) tables.set(model, (t = new Map()))
    return t
  }
  const clone = <T>(v: T): T => structuredClone(v)
  const head = () => log.at(-1)?.syncId ?? 0

  return {
    kind: 'memory',
    async open(schema) {
      for (const name of schema.modelNames) table(name)
    },
    async close() {},
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        // Uncommitted state: row writes (null = deleted), log tail, idempotency records; plus an undo journal for savepoints.
        const rows = new Map<string, { model: string; id: string; value: StoredRow | null }>()
        const entries: LogEntry[] = []
        const records = new Map<string, IdempotencyRecord>()
        const undo: Array<() => void> = []
        const remember = <K, V>(map: Map<K, V>, key: K) => {
          const had = map.has(key)
          const before = map.get(key)
          undo.push(() => (had ? map.set(key, before as V) : map.delete(key)))
        }
        const txHead = () => entries.at(-1)?.syncId ?? head()
        const read = (model: string, id: string): StoredRow | null => {
          const pending = rows.get(rowKey(model, id))
          if (pending) return pending.value ? clone(pending.value) : null
          const r = table(model).get(id)
          return r ? clone(r) : null
        }
        const tx: StoreTransaction = {
          async getRow(model, id) {
            return read(model, id)
          },
          async putRow(model, row) {
            const k = rowKey(model, row.row.id)
            remember(rows, k)
            rows.set(k, { model, id: row.row.id, value: clone(row) })
          },
          async deleteRow(model, id) {
            const k = rowKey(model, id)
            remember(rows, k)
            rows.set(k, { model, id, value: null })
          },
          async headSyncId() {
            return txHead()
          },
          async appendLog(entry) {
            if (entry.syncId !== txHead() + 1) throw new Error(`memoryStore: syncId ${entry.syncId} is not ${txHead() + 1}`)
            entries.push(clone(entry))
            undo.push(() => void entries.pop())
          },
          async getIdempotency(scope, key) {
            const k = `${scope}\u0000${key}`
            const r = records.get(k) ?? idempotency.get(k)
            return r ? clone(r) : null
          },
          async putIdempotency(record) {
            const k = `${record.scope}\u0000${record.key}`
            remember(records, k)
            records.set(k, clone(record))
          },
          async savepoint<R>(inner: () => Promise<R>): Promise<R> {
            const mark = undo.length
            try {
              return await inner()
            } catch (error) {
              while (undo.length > mark) undo.pop()!()
              throw error
            }
          },
        }
        const result = await fn(tx)
        // Commit: apply the overlay in one synchronous step.
        for (const { model, id, value } of rows.values()) {
          if (value) table(model).set(id, value)
          else table(model).delete(id)
        }
        log.push(...entries)
        for (const e of entries) if (e.runId !== undefined) (runs.get(e.runId) ?? runs.set(e.runId, []).get(e.runId)!).push(e)
        for (const [k, r] of records) idempotency.set(k, r)
        return result
      })
    },
    async getRow(model, id) {
      const r = table(model).get(id)
      return r ? clone(r) : null
    },
    async listRows(model, query: ListQuery): Promise<AnyRow[]> {
      const rows: AnyRow[] = []
      for (const { row, groups } of table(model).values()) {
        if (!groupsVisible(groups, query.groups)) continue
        if (!matches(row, query.conditions)) continue
        if (query.after && !isAfter(row, query.after, query.sort)) continue
        rows.push(row)
      }
      rows.sort(rowComparator(query.sort))
      return clone(rows.slice(0, query.limit))
    },
    async readLog(after, limit) {
      // syncIds are gapless, so entry n sits at index n - start - 1.
      const from = Math.max(0, after - start)
      return clone(log.slice(from, from + limit))
    },
    async readRunLog(runId, after, limit) {
      const out: LogEntry[] = []
      for (const e of runs.get(runId) ?? []) {
        if (out.length >= limit) break
        if (e.syncId > after && e.syncId > start) out.push(e)
      }
      return clone(out)
    },
    async logStart() {
      return start
    },
    pruneIdempotency(before) {
      return mutex.run(async () => {
        let n = 0
        for (const [k, r] of idempotency) if (r.createdAt < before && idempotency.delete(k)) n++
        return n
      })
    },
    compactLog(through) {
      return mutex.run(async () => {
        const keep = Math.min(through, head() - 1) - start
        if (keep > 0) {
          for (const e of log.splice(0, keep)) {
            const run = e.runId === undefined ? undefined : runs.get(e.runId)
            if (run?.[0] === e) run.shift()
            if (run?.length === 0) runs.delete(e.runId!)
          }
          start += keep
        }
      })
    },
    async headSyncId() {
      return head()
    },
    async getRecord(kind, id) {
      const m = kindOf(kind)
      return m.has(id) ? clone(m.get(id)) : null
    },
    async putRecord(kind, id, value, options) {
      const m = kindOf(kind)
      if (options?.ifAbsent && m.has(id)) return false
      m.set(id, clone(value))
      return true
    },
    async deleteRecord(kind, id) {
      kindOf(kind).delete(id)
    },
    updateRecord<T>(kind: string, id: string, fn: (current: T | null) => T | null) {
      // Under the transaction mutex, so it never lands between a commit's checks and its writes.
      return mutex.run(async () => {
        const m = kindOf(kind)
        const next = fn(m.has(id) ? (clone(m.get(id)) as T) : null)
        if (next === null) m.delete(id)
        else m.set(id, clone(next))
        return next === null ? null : clone(next)
      })
    },
    async listRecords(kind) {
      return [...kindOf(kind)].map(([id, value]) => ({ id, value: clone(value) }))
    },
    async snapshot(groups: GroupFilter): Promise<Snapshot> {
      const rows: Record<string, AnyRow[]> = {}
      for (const [model, t] of tables) {
        rows[model] = []
        for (const r of t.values()) if (groupsVisible(r.groups, groups)) rows[model].push(clone(r.row))
      }
      return { syncId: head(), rows }
    },
  }
}
