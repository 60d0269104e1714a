/**
 * @module The reads a batch of commits needs (each commit's idempotency
 * record and the rows its operations touch), all asked for at the start of
 * the batch's transaction. A store that pipelines statements (Postgres)
 * sends them in one round trip, instead of one or two per commit.
 *
 * A read made at the start does not see the batch's own writes, so once the
 * batch writes a row or an idempotency record, reads of it go to the
 * transaction again (which sees every write before them).
 */
import type { IdempotencyRecord, StoreTransaction, StoredRow } from '../store.ts'

const noop = () => {}
const rowKey = (model: string, id: string) => `row\u0000${model}\u0000${id}`
const idempotencyKey = (scope: string, key: string) => `idem\u0000${scope}\u0000${key}`

export interface BatchReads {
  /** Ask for what one commit will read (its idempotency record, its operations' rows). */
  prefetch(reads: { scope: string; idempotencyKey: string | undefined; rows: Iterable<{ model: string; id: string }> }): void
  getRow(model: string, id: string): Promise<StoredRow | null>
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>
  /** The batch wrote this row (or record): later reads of it must see that write. */
  wroteRow(model: string, id: string): void
  wroteIdempotency(scope: string, key: string): void
}

export function batchReads(tx: StoreTransaction): BatchReads {
  const early = new Map<string, Promise<unknown>>()
  const written = new Set<string>()
  const ask = <T>(key: string, read: () => Promise<T>) => {
    if (early.has(key) || written.has(key)) return
    const answer = read()
    // Awaited by the commit that needs it; its failure lands there.
    answer.catch(noop)
    early.set(key, answer)
  }
  const read = <T>(key: string, fresh: () => Promise<T>): Promise<T> => {
    const answer = early.get(key) as Promise<T> | undefined
    // Still what the transaction holds while the batch has not written it.
    return answer === undefined || written.has(key) ? fresh() : answer
  }
  return {
    prefetch({ scope, idempotencyKey: key, rows }) {
      if (key !== undefined) ask(idempotencyKey(scope, key), () => tx.getIdempotency(scope, key))
      for (const { model, id } of rows) ask(rowKey(model, id), () => tx.getRow(model, id))
    },
    getRow: (model, id) => read(rowKey(model, id), () => tx.getRow(model, id)),
    getIdempotency: (scope, key) => read(idempotencyKey(scope, key), () => tx.getIdempotency(scope, key)),
    wroteRow: (model, id) => void written.add(rowKey(model, id)),
    wroteIdempotency: (scope, key) => void written.add(idempotencyKey(scope, key)),
  }
}
