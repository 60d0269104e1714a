/** @module `memoryStore()`: the Store in plain maps, for tests and throwaway servers. */
import type { LogEntry } from '../../protocol/index.ts'
import { isAfter, matches, rowComparator } from '../../schema/query.ts'
import type { AnyRow } from '../../schema/types.ts'
import { type GroupFilter, groupsVisible, type IdempotencyRecord, type ListQuery, type Snapshot, type Store, type StoreTransaction, type StoredRow } from '../store.ts'
import { Mutex } from '../mutex.ts'

/**
 * A Store that lives in memory; everything is gone when the process ends.
 * @example
 * const server = await createServer({ schema, store: memoryStore() })
 */
export function memoryStore(): Store {
  const tables = new Map<string, Map<string, StoredRow>>()
  const log: LogEntry[] = []
  const idempotency = new Map<string, IdempotencyRecord>()
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
    async transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        const undo: Array<() => void> = []
        const setRow = (model: string, id: string, value: StoredRow | undefined) => {
          const t = table(model)
          const before = t.get(id)
          undo.push(() => (before === undefined ? t.delete(id) : t.set(id, before)))
          if (value === undefined) t.delete(id)
          else t.set(id, value)
        }
        const rollbackTo = (mark: number) => {
          while (undo.length > mark) undo.pop()!()
        }
        const tx: StoreTransaction = {
          async getRow(model, id) {
            const r = table(model).get(id)
            return r ? clone(r) : null
          },
          async putRow(model, row) {
            setRow(model, row.row.id, clone(row))
          },
          async deleteRow(model, id) {
            setRow(model, id, undefined)
          },
          async headSyncId() {
            return head()
          },
          async appendLog(entry) {
            if (entry.syncId !== head() + 1) throw new Error(`memoryStore: syncId ${entry.syncId} is not ${head() + 1}`)
            log.push(clone(entry))
            undo.push(() => void log.pop())
          },
          async getIdempotency(scope, key) {
            const r = idempotency.get(`${scope}\u0000${key}`)
            return r ? clone(r) : null
          },
          async putIdempotency(record) {
            const k = `${record.scope}\u0000${record.key}`
            const before = idempotency.get(k)
            idempotency.set(k, clone(record))
            undo.push(() => (before ? idempotency.set(k, before) : idempotency.delete(k)))
          },
          async savepoint<R>(inner: () => Promise<R>): Promise<R> {
            const mark = undo.length
            try {
              return await inner()
            } catch (error) {
              rollbackTo(mark)
              throw error
            }
          },
        }
        try {
          return await fn(tx)
        } catch (error) {
          rollbackTo(0)
          throw error
        }
      })
    },
    async getRow(model, id) {
      const r = table(model).get(id)
      return r ? clone(r) : null
    },
    async listRows(model, query: ListQuery): Promise<AnyRow[]> {
      const compare = rowComparator(query.sort)
      const rows: AnyRow[] = []
      for (const { row, groups } of table(model).values()) {
        if (!groupsVisible(groups, query.groups)) continue
        if (!matches(row, query.conditions)) continue
        if (query.after && !isAfter(row, query.after, query.sort)) continue
        rows.push(row)
      }
      rows.sort(compare)
      return clone(rows.slice(0, query.limit))
    },
    async readLog(after, limit) {
      // syncIds are gapless from 1, so entry n sits at index n - 1.
      return clone(log.slice(Math.max(0, after), Math.max(0, after) + limit))
    },
    async headSyncId() {
      return head()
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

