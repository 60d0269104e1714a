/**
 * @module The commit pipeline: validate → idempotency → claim/stale checks →
 * one store transaction (rows + log entry) → fan-out.
 *
 * Concurrent commits are grouped: one store transaction carries a batch of
 * commits, each in its own savepoint, so a rejected commit rolls back alone
 * and one fsync serves the whole batch. The batch's reads go out together at
 * its start (`batch-reads.ts`), and its transaction may run twice (see
 * `Store.transaction`'s `rerunnable`), so nothing it decides outlives a run.
 */
import { createHash } from 'node:crypto'
import {
  createTandemError,
  TandemAuthError,
  TandemConflictError,
  TandemError,
  type TandemErrorInit,
  TandemNotFoundError,
  TandemValidationError,
} from '../../errors/index.ts'
import { createId } from '../../internal/ids.ts'
import { deferred, type Deferred } from '../../internal/deferred.ts'
import { jsonEqual, stableStringify } from '../../internal/stable-json.ts'
import {
  type Actor,
  type Change,
  checkRunId,
  type CommitRequest,
  type CommitResult,
  type LogEntry,
  type Operation,
  type WireRow,
} from '../../protocol/index.ts'
import type { Schema } from '../../schema/model.ts'
import type { AnyRow } from '../../schema/types.ts'
import { getModel, validateCreate, validateId, validatePatch, validateRow } from '../../schema/validate.ts'
import { paramPath } from '../../schema/param-path.ts'
import { changedSince, staleError } from './stale-check.ts'
import { batchReads, type BatchReads } from './batch-reads.ts'
import type { Hub } from '../sync/hub.ts'
import type { Session } from '../identity/session.ts'
import { groupsVisible, type Store, type StoreTransaction, type StoredRow } from '../store.ts'

/**
 * A check that may refuse one operation inside the commit transaction (claims plug in here).
 * It may be asked again about the same operation: a store may run a batch's transaction twice.
 */
export interface WriteGuard {
  check(input: WriteCheck): Promise<void> | void
  /**
   * Optional: a check for one batch, told every operation of the batch (with the claim token each carries)
   * once the batch's transaction holds the store's commit lock, so it can ask for what its checks read all at
   * once instead of one read per operation. Used for that batch only.
   */
  forBatch?(ops: ReadonlyArray<{ op: PreparedOp; claimToken: string | undefined }>): Pick<WriteGuard, 'check'>
}

/** What a write guard is asked about one operation. */
export interface WriteCheck {
  session: Session
  op: PreparedOp
  current: StoredRow | null
  claimToken: string | undefined
  tx: StoreTransaction
}

export interface PreparedOp {
  op: Operation['op']
  model: string
  id: string
  data: Record<string, unknown>
  readAt: number | undefined
  onStale: 'reject' | 'force' | 'flag'
  /** The operation's own claim token (`operations[N].claimToken`), if it names one. */
  claimToken?: string | undefined
}

interface Job {
  session: Session
  ops: PreparedOp[]
  request: CommitRequest
  idempotencyKey: string | undefined
  hash: string
  transport: Actor['transport']
  done: Deferred<CommitResult>
  /** Set for a claim lifecycle entry instead of row operations. */
  claim?: LogEntry['claim']
  /** Set for the commit a run revert makes (see `runs/run-revert.ts`). */
  runRevert?: boolean
}

/** The same error, naming another input. */
function withParam(error: TandemError, param: string): TandemError {
  const init: TandemErrorInit = { code: error.code, message: error.message, param, status: error.status, retryable: error.retryable, cause: error }
  if (error.details !== undefined) init.details = error.details
  return createTandemError(init)
}

export interface CommitPipelineOptions {
  schema: Schema
  store: Store
  hub: Hub
  maxOperations: number
  guards?: WriteGuard[]
  /** Largest number of commits grouped into one transaction. */
  maxBatch?: number
  /** Told how long each validated commit took to be answered (committed or refused), for metrics. */
  observe?: (transport: Actor['transport'], seconds: number) => void
}

export class CommitPipeline {
  #queue: Job[] = []
  #running = false
  /** Jobs submitted / finished so far: `flushed()` waits for a number, not for an empty queue. */
  #submitted = 0
  #finished = 0
  /** `#submitted` as it was just after the last commit of rows (not a claim entry) was queued. */
  #lastWrite = 0
  #flushWaiters: Array<{ until: number; done: () => void }> = []
  #scheduled = false
  #lastBatchEnd = -Infinity
  readonly guards: WriteGuard[]

  readonly options: CommitPipelineOptions

  constructor(options: CommitPipelineOptions) {
    this.options = options
    this.guards = options.guards ?? []
  }

  /** Validate and queue one commit; resolves when it is durable. `runRevert` marks the commit a run revert makes. */
  submit(
    session: Session,
    request: CommitRequest,
    idempotencyKey: string | undefined,
    transport: Actor['transport'],
    options: { runRevert?: boolean } = {},
  ): Promise<CommitResult> {
    const ops = this.#prepare(request)
    // Only an idempotency key needs the body's hash (to tell a replay from a reuse).
    const hash =
      idempotencyKey === undefined
        ? ''
        : createHash('sha256')
            .update(
              stableStringify({
                operations: request.operations,
                claimToken: request.claimToken ?? null,
                // Only when set, so the hashes of records stored before runs existed still match.
                ...(request.runId !== undefined ? { runId: request.runId } : {}),
              }),
            )
            .digest('base64url')
    const done = deferred<CommitResult>()
    this.#queue.push({ session, ops, request, idempotencyKey, hash, transport, done, ...(options.runRevert ? { runRevert: true } : {}) })
    this.#submitted++
    this.#lastWrite = this.#submitted
    this.#schedule()
    const { observe } = this.options
    if (observe) {
      const started = performance.now()
      const settled = () => observe(transport, (performance.now() - started) / 1000)
      done.promise.then(settled, settled)
    }
    return done.promise
  }

  /** Append a claim lifecycle entry to the log (ordered with commits, same syncId sequence). */
  appendClaimEvent(session: Session, claim: NonNullable<LogEntry['claim']>): Promise<CommitResult> {
    const done = deferred<CommitResult>()
    this.#queue.push({
      session,
      ops: [],
      request: { operations: [] } as unknown as CommitRequest,
      idempotencyKey: undefined,
      hash: '',
      transport: session.actor.transport,
      done,
      claim,
    })
    this.#submitted++
    this.#schedule()
    return done.promise
  }

  #prepare(request: CommitRequest): PreparedOp[] {
    const { schema, maxOperations } = this.options
    if (request.runId !== undefined) checkRunId(request.runId)
    if (request.operations.length > maxOperations) {
      throw new TandemValidationError({
        code: 'too_many_operations',
        message: `A commit may hold at most ${maxOperations} operations (got ${request.operations.length})`,
        param: 'operations',
      })
    }
    return request.operations.map((op, i): PreparedOp => {
      const at = `operations[${i}]`
      getModel(schema, op.model, at)
      const onStale = op.onStale ?? 'reject'
      if (op.op === 'create') {
        const id = op.id === undefined ? createId() : validateId(op.id, paramPath(at, 'id'))
        const data = validateCreate(schema, op.model, op.data ?? {}, at)
        return { op: 'create', model: op.model, id, data, readAt: op.readAt, onStale, claimToken: op.claimToken }
      }
      if (op.id === undefined) {
        throw new TandemValidationError({ code: 'invalid_request', message: `${at}.id is required for ${op.op}`, param: paramPath(at, 'id') })
      }
      const id = validateId(op.id, paramPath(at, 'id'))
      const data = op.op === 'update' ? validatePatch(schema, op.model, op.data ?? {}, at) : {}
      return { op: op.op, model: op.model, id, data, readAt: op.readAt, onStale, claimToken: op.claimToken }
    })
  }

  /**
   * Start a batch. A lone writer commits at once; under concurrency (a batch
   * ran moments ago) wait one event-loop turn so commits arriving on other
   * sockets join the same transaction and share its fsync.
   */
  #schedule(): void {
    if (this.#running || this.#scheduled) return
    this.#scheduled = true
    const start = () => {
      this.#scheduled = false
      if (!this.#running) void this.#drain()
    }
    // Idle: start after the current synchronous code (commits queued together share a batch).
    if (performance.now() - this.#lastBatchEnd >= 2) queueMicrotask(start)
    else setImmediate(start)
  }

  async #drain(): Promise<void> {
    this.#running = true
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.options.maxBatch ?? 256)
        await this.#runBatch(batch)
      }
    } finally {
      this.#running = false
      this.#lastBatchEnd = performance.now()
    }
  }

  /**
   * Resolves once every commit submitted before this call is durable (or refused); later ones do not delay it.
   * With `writesOnly`, claim lifecycle entries queued after the last write are not waited for: a claim hand-off
   * needs the holder's writes landed, not the log's record of the claims (which still lands in queue order).
   */
  flushed(options: { writesOnly?: boolean } = {}): Promise<void> {
    const until = options.writesOnly ? this.#lastWrite : this.#submitted
    if (this.#finished >= until) return Promise.resolve()
    return new Promise((done) => this.#flushWaiters.push({ until, done }))
  }

  #markFinished(count: number): void {
    this.#finished += count
    this.#flushWaiters = this.#flushWaiters.filter((w) => (this.#finished >= w.until ? (w.done(), false) : true))
  }

  async #runBatch(batch: Job[]): Promise<void> {
    let entries: LogEntry[] = []
    let outcomes: Array<{ job: Job; result?: CommitResult; error?: unknown }> = []
    try {
      // Rerunnable: everything a run decides starts afresh inside it (the store may run it again, see `Store.transaction`).
      const rerunnable = { rerunnable: true }
      await this.options.store.transaction(async (tx) => {
        entries = []
        outcomes = []
        const headRead = tx.headSyncId()
        // Every read the batch needs, asked for at once (behind the head read: one round trip on Postgres).
        const reads = batchReads(tx)
        for (const job of batch) reads.prefetch({ scope: job.session.credentialId, idempotencyKey: job.idempotencyKey, rows: job.ops })
        let head = await headRead
        // Now under the commit lock: guards may read ahead for the whole batch.
        const guards = this.#batchGuards(batch)
        for (const job of batch) {
          const apply = () => this.#apply(tx, reads, guards, job, head + 1)
          // Every commit in its own savepoint, even alone: stores build on it (httpSource sends one remote commit per savepoint).
          // A claim entry writes no rows and cannot be refused, so it needs none (a round trip less on Postgres);
          // should its append fail all the same, it throws out of the transaction and the whole batch fails.
          const outcome = job.claim ? await apply() : await tx.savepoint(apply).catch((error: unknown) => ({ error }))
          if ('error' in outcome) {
            outcomes.push({ job, error: outcome.error })
            continue
          }
          if (outcome.entry) {
            head = outcome.entry.syncId
            entries.push(outcome.entry)
          }
          outcomes.push({ job, result: outcome.result })
        }
      }, rerunnable)
    } catch (error) {
      for (const job of batch) job.done.reject(error)
      this.#markFinished(batch.length)
      return
    }
    this.options.hub.offer(entries)
    for (const o of outcomes) o.error === undefined ? o.job.done.resolve(o.result!) : o.job.done.reject(o.error)
    this.#markFinished(batch.length)
  }

  #batchGuards(batch: Job[]): Array<Pick<WriteGuard, 'check'>> {
    if (!this.guards.some((g) => g.forBatch)) return this.guards
    const ops = batch.flatMap((job) => job.ops.map((op) => ({ op, claimToken: op.claimToken ?? job.request.claimToken })))
    return this.guards.map((g) => g.forBatch?.(ops) ?? g)
  }

  async #apply(
    tx: StoreTransaction,
    reads: BatchReads,
    guards: Array<Pick<WriteGuard, 'check'>>,
    job: Job,
    syncId: number,
  ): Promise<{ result: CommitResult; entry?: LogEntry }> {
    const { session, idempotencyKey } = job
    if (job.claim) {
      const entry: LogEntry = { syncId, txId: null, actor: session.actor, stale: false, createdAt: new Date().toISOString(), changes: [], claim: job.claim }
      await tx.appendLog(entry)
      return { result: { object: 'commit', syncId, stale: false, rows: [] }, entry }
    }
    if (idempotencyKey !== undefined) {
      const previous = await reads.getIdempotency(session.credentialId, idempotencyKey)
      if (previous) {
        if (previous.hash === job.hash) return { result: previous.result }
        throw new TandemConflictError({
          code: 'idempotency_key_reused',
          message: 'This Idempotency-Key was already used with a different request body',
          param: 'Idempotency-Key',
        })
      }
    }
    const now = new Date().toISOString()
    const changes: Change[] = []
    const rows: Array<WireRow | null> = []
    let stale = false
    for (const [i, op] of job.ops.entries()) {
      const at = `operations[${i}]`
      // A readAt past the log's head was not read from this server: refuse it rather than treat every later change as unseen.
      if (op.readAt !== undefined && op.readAt > syncId - 1) {
        throw new TandemValidationError({
          code: 'invalid_data',
          message: `readAt ${op.readAt} is ahead of the current cursor ${syncId - 1}; pass a syncId you have read (tandem.cursor() or a row's syncId)`,
          param: paramPath(at, 'readAt'),
          details: { cursor: syncId - 1 },
        })
      }
      const found = await reads.getRow(op.model, op.id)
      // Rows outside the session's groups do not exist for it.
      const current = found && groupsVisible(found.groups, session.groups) ? found : null
      if (op.op === 'create') {
        if (found) throw new TandemConflictError({ code: 'already_exists', message: `${op.model} "${op.id}" already exists`, param: paramPath(at, 'id') })
      } else if (!current) {
        throw new TandemNotFoundError({ code: 'not_found', message: `${op.model} "${op.id}" not found`, param: paramPath(at, 'id') })
      }
      await this.#guard(guards, { session, op, current, tx }, job, at)
      if (current && op.readAt !== undefined && current.row.syncId > op.readAt) {
        if (op.onStale === 'reject') throw staleError(op, current.row, await changedSince(this.options.store, op.model, op.id, op.readAt), at)
        if (op.onStale === 'flag') stale = true
      }
      const change = this.#applyOp(op, current, session, syncId, now, at)
      if (op.op !== 'delete' && !groupsVisible(change.groups, session.groups)) {
        throw new TandemAuthError({
          code: 'forbidden',
          message: `This session may not put ${op.model} "${op.id}" into groups ${JSON.stringify(change.groups)}`,
          param: 'groups',
        })
      }
      reads.wroteRow(op.model, op.id)
      if (change.data) await tx.putRow(op.model, { row: change.data as AnyRow, groups: change.groups })
      else await tx.deleteRow(op.model, op.id)
      changes.push(change)
      rows.push(change.data)
    }
    const entry: LogEntry = { syncId, txId: job.request.txId ?? null, actor: { ...session.actor, transport: job.transport }, stale, createdAt: now, changes }
    if (job.request.runId !== undefined) entry.runId = job.request.runId
    if (job.runRevert) entry.runRevert = true
    await tx.appendLog(entry)
    const result: CommitResult = { object: 'commit', syncId, stale, rows }
    if (idempotencyKey !== undefined) {
      reads.wroteIdempotency(session.credentialId, idempotencyKey)
      await tx.putIdempotency({ scope: session.credentialId, key: idempotencyKey, hash: job.hash, result, createdAt: now })
    }
    return { result, entry }
  }

  /**
   * Run the write guards on one operation, with its own claim token or else the commit's. A refusal names the
   * operation (`operations[N].claimToken`) when it carried its own token or the commit holds several operations,
   * so a client transaction learns which of its writes was refused.
   */
  async #guard(guards: Array<Pick<WriteGuard, 'check'>>, input: Omit<WriteCheck, 'claimToken'>, job: Job, at: string): Promise<void> {
    const { op } = input
    try {
      for (const guard of guards) await guard.check({ ...input, claimToken: op.claimToken ?? job.request.claimToken })
    } catch (error) {
      if (!(error instanceof TandemError)) throw error
      // A refused commit-level token keeps its name (`claimToken`); a claimed row in a single-operation commit names nothing, as before.
      const own = op.claimToken !== undefined
      if (own ? error.param !== undefined && error.param !== 'claimToken' : error.param !== undefined || job.ops.length === 1) throw error
      throw withParam(error, paramPath(at, 'claimToken'))
    }
  }

  #groupsOf(model: string, row: AnyRow, session: Session): string[] | undefined {
    const fn = getModel(this.options.schema, model).options.groups
    return fn ? fn(row as never, { sessionGroups: session.groups ?? [], defaultGroup: session.defaultGroup }) : undefined
  }

  #applyOp(op: PreparedOp, current: StoredRow | null, session: Session, syncId: number, now: string, at: string): Change {
    const { schema } = this.options
    if (op.op === 'delete') {
      return { model: op.model, id: op.id, op: 'delete', data: null, previous: current!.row, groups: current!.groups }
    }
    if (op.op === 'create') {
      const row: AnyRow = { ...op.data, id: op.id, createdAt: now, updatedAt: now, syncId }
      const groups = this.#groupsOf(op.model, row, session) ?? [session.defaultGroup]
      return { model: op.model, id: op.id, op: 'create', data: row, previous: null, groups }
    }
    const before = current!.row
    const row: AnyRow = { ...before, ...op.data, updatedAt: now, syncId }
    validateRow(schema, op.model, row, at)
    const previous: Record<string, unknown> = {}
    for (const key of Object.keys(op.data)) if (!jsonEqual(before[key], op.data[key])) previous[key] = before[key] ?? null
    // A model whose groups follow its fields moves rows between groups on update.
    const groups = this.#groupsOf(op.model, row, session) ?? current!.groups
    const change: Change = { model: op.model, id: op.id, op: 'update', data: row, previous, groups }
    if (!jsonEqual([...groups].sort(), [...current!.groups].sort())) change.previousGroups = current!.groups
    return change
  }
}
