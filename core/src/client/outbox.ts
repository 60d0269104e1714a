/**
 * @module The outbox: the client's writes waiting for the server's answer, in order. A write is persisted
 * (IndexedDB with `persistence: 'indexeddb'`), sent when the connection is live, applied optimistically, and
 * replayed with its idempotency key after a reconnect or a reload, so it lands once.
 */
import { atom, type ReadableAtom } from 'nanostores'
import { TandemConnectionError, toTandemError } from '../errors/index.ts'
import { deferred, type Deferred } from '../internal/deferred.ts'
import { createId } from '../internal/ids.ts'
import type { CommitResult } from '../protocol/index.ts'
import type { ClientOperation, LocalGraph } from './local-graph.ts'
import type { OutboxStore, PersistedTx } from './persistence.ts'

/** The commit request a queued write goes out as. */
export interface CommitParams {
  operations: ClientOperation[]
  txId: string
  idempotencyKey: string
  claimToken?: string
  runId?: string
}

export interface OutboxOptions {
  graph: LocalGraph
  persisted: OutboxStore
  /** Whether a commit sent now goes out at once. */
  live(): boolean
  /** Send one commit; a TandemConnectionError means "not answered, send it again once live". */
  send(params: CommitParams): Promise<unknown>
}

interface OutgoingTx extends PersistedTx {
  sent: boolean
  done: Deferred<CommitResult>
}

export class Outbox {
  readonly #o: OutboxOptions
  /** Queued writes by txId, in order (a Map: answers remove from the front of thousands without shifting an array). */
  #queue = new Map<string, OutgoingTx>()
  /** Writes queued since the last flush, in order; `#rescan` when older ones must go again (a reconnect, a restore). */
  #unsent: OutgoingTx[] = []
  #rescan = false
  readonly #size = atom(0)
  #seq = 0

  constructor(options: OutboxOptions) {
    this.#o = options
  }

  /** How many writes are not confirmed yet (reactive). */
  get size(): ReadableAtom<number> {
    return this.#size
  }

  /** Queue a new write: persisted, sent if live, applied optimistically. `queued` resolves once it is persisted. */
  write(
    operations: ClientOperation[],
    idempotencyKey: string | undefined,
    claimToken?: string,
    runId?: string,
  ): { txId: string; queued: Promise<void>; confirmed: Promise<CommitResult> } {
    const txId = createId()
    // seq orders the persisted queue across reloads.
    this.#seq = Math.max(this.#seq + 1, Date.now() * 1000)
    const record: PersistedTx = { txId, idempotencyKey: idempotencyKey ?? txId, operations, at: new Date().toISOString(), seq: this.#seq }
    if (claimToken) record.claimToken = claimToken
    if (runId !== undefined) record.runId = runId
    const tx = this.#track(record)
    const queued = this.#o.persisted.put(record)
    this.#enqueue(tx)
    return { txId, queued, confirmed: tx.done.promise }
  }

  /** Bring back the writes persisted before a reload: they are older than anything written since, so they go first, in order. */
  async restore(): Promise<void> {
    const records = await this.#o.persisted.load()
    const txs = records.map((record) => this.#track(record))
    this.#queue = new Map([...txs.map((tx) => [tx.txId, tx] as const), ...this.#queue])
    this.#rescan = true
    this.#size.set(this.#queue.size)
    try {
      if (this.#o.live()) this.flush()
    } finally {
      this.#o.graph.restorePending(txs.map(({ txId, operations, at }) => ({ txId, operations, at })))
    }
  }

  /** Send every write not in flight (once the connection is live). */
  flush(): void {
    // Only what is new, unless older writes came back unanswered: a write must not cost a walk of the whole queue.
    const candidates = this.#rescan ? [...this.#queue.values()] : this.#unsent
    this.#rescan = false
    this.#unsent = []
    for (const tx of candidates) {
      if (tx.sent) continue
      tx.sent = true
      const params: CommitParams = { operations: tx.operations, txId: tx.txId, idempotencyKey: tx.idempotencyKey }
      if (tx.claimToken) params.claimToken = tx.claimToken
      if (tx.runId !== undefined) params.runId = tx.runId
      this.#o.send(params).then(
        (value) => {
          const result = value as CommitResult
          this.#remove(tx)
          this.#o.graph.confirm(tx.txId, result.syncId)
          tx.done.resolve(result)
        },
        (error: unknown) => {
          const e = toTandemError(error)
          if (e instanceof TandemConnectionError) {
            tx.sent = false // replayed with the same idempotency key once live again
            this.#rescan = true
            return
          }
          this.#remove(tx)
          this.#o.graph.reject(tx.txId)
          tx.done.reject(e)
        },
      )
    }
  }

  /** Resolves once every queued write made under `claimToken` has been answered. */
  async settled(claimToken: string): Promise<void> {
    const under = (tx: OutgoingTx) => tx.claimToken === claimToken || tx.operations.some((op) => op.claimToken === claimToken)
    await Promise.allSettled([...this.#queue.values()].filter(under).map((tx) => tx.done.promise))
  }

  /** Fail every write still waiting (the client is disposed); persisted ones stay for the next client. */
  abandon(reason: TandemConnectionError): void {
    const abandoned = [...this.#queue.values()]
    this.#queue.clear()
    for (const tx of abandoned) tx.done.reject(reason)
    this.#unsent = []
    this.#size.set(0)
  }

  #track(record: PersistedTx): OutgoingTx {
    const tx: OutgoingTx = { ...record, sent: false, done: deferred() }
    tx.done.promise.catch(() => undefined)
    return tx
  }

  #enqueue(tx: OutgoingTx): void {
    this.#queue.set(tx.txId, tx)
    this.#unsent.push(tx)
    this.#size.set(this.#queue.size)
    // Send first, then apply optimistically: the frame leaves a graph update earlier, and no answer can arrive before this returns.
    try {
      if (this.#o.live()) this.flush()
    } finally {
      this.#o.graph.addPending({ txId: tx.txId, operations: tx.operations, at: tx.at })
    }
  }

  #remove(tx: OutgoingTx): void {
    this.#queue.delete(tx.txId)
    this.#size.set(this.#queue.size)
    void this.#o.persisted.delete(tx.txId).catch(() => undefined)
  }
}
