/** @module Public types of the client: options, verbs, results. */
import type { ReadableAtom } from 'nanostores'
import type { OnStale } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { WhereOps } from '../schema/query.ts'
import type { CreateInputOf, ModelsOf, RowOf, UpdateInputOf } from '../schema/types.ts'
import type { Transport } from '../transport/transport.ts'
import type { Status } from './connection.ts'
import type { ClaimHandle, OwnClaim } from './claims-client.ts'
import type { PresenceApi } from './presence-client.ts'
export type { PresenceApi } from './presence-client.ts'
export type { PresenceEntry, PresenceIntent } from '../protocol/index.ts'
import type { Actor, ClaimState, ClaimTarget, Participant, RunChangesPage, RunRevertResult } from '../protocol/index.ts'
import type { TandemError } from '../errors/index.ts'

export type { ClaimHandle, ClaimState, OwnClaim }

export type { Status }

export type { Participant }

export interface TandemOptions<S extends Schema> {
  schema: S
  /**
   * The server, default `process.env.TANDEM_URL`, else `http://127.0.0.1:7878`. A list of the nodes of one cluster
   * fails over: when the connection fails or drops, the client reconnects to the next one, catches up from its cursor
   * and replays its queued writes with their idempotency keys.
   */
  baseURL?: string | readonly string[]
  /** A secret key or session token, or an async function returning one. Default `process.env.TANDEM_API_KEY`. */
  apiKey?: string | (() => Promise<string>)
  /** For browsers: returns a session token, `null` when the login is gone, throws when unreachable. */
  getToken?: () => Promise<string | null>
  /** `'websocket'` (default), `'http'` long-poll, or a Transport object. */
  transport?: 'websocket' | 'http' | Transport
  /** Default: human in browsers, agent in Node. */
  participant?: Participant
  /** Interval of client pings, in ms (default 15 000). */
  heartbeatMs?: number
  /** `'volatile'` (default): queued writes live in memory. `'indexeddb'` (browsers): they survive a reload. */
  persistence?: 'volatile' | 'indexeddb'
  /** Names the IndexedDB queue; default the baseURL (the list, joined by spaces). Use one per signed-in user, so a queue is never replayed as someone else. */
  persistenceKey?: string
  /**
   * Default true: connect at once. false: connect on `tandem.start()`, so a client made during
   * server-side rendering (or before the user signs in) opens no socket; `ready()` waits for it.
   */
  autoConnect?: boolean
  /**
   * Tag every write of this client with this run id (an agent's task), so `GET /v1/runs/:runId` lists them
   * and `tandem.runs.revert(runId)` undoes them; a verb's own `runId` wins. See also `withRun`.
   */
  runId?: string
  /** How many writes `undo()` can go back (default 100). */
  undoLimit?: number
}

/** `'queued'`: resolve once applied locally and queued to send; `'confirmed'` (default): once the server committed it. */
export type WaitMode = 'queued' | 'confirmed'

type Scalar<V> = V extends string | number | boolean | null ? V : never
/** Typed `where`: equality, an array for IN, or operators. */
export type WhereOf<R> = { [K in keyof R]?: Scalar<R[K]> | Scalar<R[K]>[] | WhereOps }
export type OrderByOf<R> = { [K in keyof R]?: 'asc' | 'desc' } | Array<{ [K in keyof R]?: 'asc' | 'desc' }>

/** A page of `list()`: an array with the pagination fields attached. */
export type RowList<R> = R[] & { hasMore: boolean; nextCursor: string | null }

export interface CreateArgs<M> {
  data: CreateInputOf<M>
  id?: string
  wait?: WaitMode
  idempotencyKey?: string
  /** Reject the returned promise with `timeout` after this many ms (the write stays queued and may still land). */
  timeout?: number
  /** Tag the write as part of a run (default: the client's `runId`), to list or revert the run later. */
  runId?: string
}
export interface UpdateArgs<M> {
  id: string
  data: UpdateInputOf<M>
  wait?: WaitMode
  /** The syncId your reasoning was based on; the write is refused (by default) if the row changed since. */
  readAt?: number
  onStale?: OnStale
  idempotencyKey?: string
  /** Reject the returned promise after this many ms (the write stays queued). */
  timeout?: number
  /** Tag the write as part of a run (default: the client's `runId`). */
  runId?: string
}
export interface DeleteArgs {
  id: string
  wait?: WaitMode
  readAt?: number
  onStale?: OnStale
  idempotencyKey?: string
  timeout?: number
  /** Tag the write as part of a run (default: the client's `runId`). */
  runId?: string
}
export interface RetrieveArgs {
  id: string
  /** While someone holds a claim on the row: `'return'` it anyway (default), `'wait'` until released, or `'fail'` with `entity_claimed`. */
  ifClaimed?: 'return' | 'wait' | 'fail'
  /** With `ifClaimed: 'wait'`: give up after this many ms (`grant_timeout`). */
  timeoutMs?: number
}

export interface ClaimArgs<R> {
  id: string
  /** Claim one field instead of the whole row. */
  field?: keyof R & string
  /** Free text shown to others, e.g. "writing forecast". */
  action?: string
  /** Default true: wait in line. false: fail at once with `entity_claimed` if held. */
  wait?: boolean
  /** Fail with `queue_too_deep` when this many or more claims are ahead. */
  maxQueueDepth?: number
  /** Lease length (ms, or "30s"/"2m"); default 30 s, renewed by heartbeat while connected. */
  ttl?: number | string
  /** Fail with `grant_timeout` if not granted within this many ms. */
  timeoutMs?: number
}

export interface ClaimTargetArgs<R> {
  id: string
  field?: keyof R & string
}

/** `tandem.<model>.claim(...)` and its helpers. */
export interface ClaimApi<R> {
  (args: ClaimArgs<R>): Promise<ClaimHandle<R>>
  /** The current holder (local, reactive); null when free. */
  state(args: ClaimTargetArgs<R>): ClaimState | null
  /** The line behind the holder (local, reactive). */
  queue(args: ClaimTargetArgs<R>): ClaimState[]
  /** Give back a claim this client holds (no-op if it holds none). */
  release(args: ClaimTargetArgs<R>): Promise<void>
  /** Reorder the waiting line (holder or secret key only). */
  reorder(args: { id: string; field?: keyof R & string; order: Array<string | ClaimState> }): Promise<void>
}
export interface ListArgs<R> {
  where?: WhereOf<R>
  orderBy?: OrderByOf<R>
  limit?: number
  cursor?: string
  /** `'complete'` (default) asks the server; `'unknown'` returns local rows now and refreshes. */
  type?: 'complete' | 'unknown'
}
export interface GetAllArgs<R> {
  where?: WhereOf<R>
  orderBy?: OrderByOf<R>
  limit?: number
}

/** A row from `update({ onStale: 'flag' })`: `stale` is set (non-enumerable) on such writes only; a model's own `stale` field wins. */
export type StaleMarked<R> = R & ('stale' extends keyof R ? unknown : { readonly stale?: boolean })

/** The verbs on `tandem.<model>`. */
export interface ModelApi<M> {
  create(args: CreateArgs<M>): Promise<RowOf<M>>
  /** With `onStale: 'flag'`, the row has a non-enumerable `stale` (true when the row had changed since `readAt`). */
  update(args: UpdateArgs<M>): Promise<StaleMarked<RowOf<M>>>
  delete(args: DeleteArgs): Promise<void>
  retrieve(args: RetrieveArgs): Promise<RowOf<M> | null>
  list(args?: ListArgs<RowOf<M>>): Promise<RowList<RowOf<M>>>
  get(id: string): RowOf<M> | undefined
  getAll(args?: GetAllArgs<RowOf<M>>): RowOf<M>[]
  getCount(args?: { where?: WhereOf<RowOf<M>> }): number
  claim: ClaimApi<RowOf<M>>
}

/** What a write inside `tandem.transaction` takes: a verb's arguments, less what belongs to the whole transaction. */
type TransactionArgs<A> = Omit<A, 'wait' | 'idempotencyKey' | 'timeout' | 'runId'>
export type TransactionCreateArgs<M> = TransactionArgs<CreateArgs<M>>
export type TransactionUpdateArgs<M> = TransactionArgs<UpdateArgs<M>>
export type TransactionDeleteArgs = TransactionArgs<DeleteArgs>

/**
 * `tx.<model>` inside `tandem.transaction`: the writes are collected, not sent, and return the row as it will
 * be once the transaction lands (a create's row has its id); `get` sees the transaction's own writes.
 */
export interface TransactionModelApi<M> {
  create(args: TransactionCreateArgs<M>): RowOf<M>
  update(args: TransactionUpdateArgs<M>): RowOf<M>
  delete(args: TransactionDeleteArgs): void
  /** The row as the app sees it with this transaction's writes folded in; undefined if absent (or deleted by it). */
  get(id: string): RowOf<M> | undefined
}

/** The `tx` a transaction's callback gets: one {@link TransactionModelApi} per model. */
export type Transaction<S extends Schema> = { readonly [K in keyof ModelsOf<S>]: TransactionModelApi<ModelsOf<S>[K]> }

export interface TransactionOptions {
  /** `'confirmed'` (default): resolve once the server committed every operation; `'queued'`: once applied locally and queued. */
  wait?: WaitMode
  /** One key for the whole commit (default: a new one), so a replay after a reconnect lands once. */
  idempotencyKey?: string
  /** Reject after this many ms (the transaction stays queued and may still land). */
  timeout?: number
  /** Tag the commit as part of a run (default: the client's `runId`). */
  runId?: string
}

/**
 * What `tandem.transaction` resolves with: the callback's `value`, and the commit: its `syncId`, whether it was
 * flagged `stale`, and one row per operation in order (null for a delete). With `wait: 'queued'` (or an empty
 * transaction) `syncId` is null and `rows` are the optimistic rows.
 */
export interface TransactionResult<T> {
  value: T
  syncId: number | null
  stale: boolean
  rows: ReadonlyArray<Record<string, unknown> | null>
}

export interface SelectOptions<T> {
  /** When two results count as the same (the store keeps the old one). Default: `shallowEqual`. */
  equal?: (a: T, b: T) => boolean
}

/** `ready()`'s promise, with its state readable synchronously (React's `use()` and Suspense read `status`). */
export interface ReadyPromise extends Promise<void> {
  readonly status: 'pending' | 'fulfilled' | 'rejected'
  /** Why it rejected (credentials refused, or the client was disposed first). */
  readonly reason?: TandemError
}

/** Which claim a claim view watches: a row, or one field of it. */
export interface ClaimViewArgs<S extends Schema, K extends keyof ModelsOf<S> & string = keyof ModelsOf<S> & string> {
  model: K
  id: string
  field?: keyof RowOf<ModelsOf<S>[K]> & string
}

/** What `useClaim` shows: who holds the target, who waits, and where this client stands. */
export interface ClaimView {
  /** The current holder (anyone's claim), as `claim.state`; null when free. */
  readonly holder: ClaimState | null
  /** The line behind the holder, as `claim.queue`. */
  readonly queue: readonly ClaimState[]
  /** This client's claim on exactly this target (waiting, held or lost); null when it has none. */
  readonly mine: OwnClaim | null
  /** True while this client holds it (`mine.status === 'held'`). */
  readonly heldByMe: boolean
}

/** A readable store of a {@link ClaimView}, with the verbs a claim button needs. */
export interface ClaimViewStore<R> extends ReadableAtom<ClaimView> {
  readonly target: ClaimTarget
  /** Claim the target (see `tandem.<model>.claim`). */
  claim(args?: Omit<ClaimArgs<R>, 'id' | 'field'>): Promise<ClaimHandle<R>>
  /** Give back this client's claim on the target (held or lost); a no-op when it holds none. */
  release(): Promise<void>
}

/** A row (or one field of it) someone else changed after this client's write, so `undo()` / `redo()` left it alone. */
export interface UndoConflict {
  model: string
  id: string
  /** Absent when the whole row conflicts (it was deleted or re-created, or the step creates or deletes it). */
  field?: string
  /** The other change's log position, when known. */
  syncId?: number
  /** Who made it, when known. */
  actor?: Actor
}

/**
 * What `undo()` / `redo()` did: `applied` (one commit, its `syncId`), `conflict` (nothing written; the step is
 * dropped, as it can never apply cleanly), `failed` (e.g. offline or claimed; the step stays to be tried again),
 * or `empty` (nothing to undo / redo).
 */
export type UndoResult =
  | { status: 'applied'; syncId: number; operations: ReadonlyArray<{ op: 'create' | 'update' | 'delete'; model: string; id: string }> }
  | { status: 'conflict'; conflicts: UndoConflict[]; error?: TandemError }
  | { status: 'failed'; error: TandemError }
  | { status: 'empty' }

/** `tandem.runs`: read and revert a run's writes (over HTTP). */
export interface RunsApi {
  /** A page of the run's commits, in log order (`after`: the previous page's `nextCursor`). */
  list(runId: string, options?: { after?: number; limit?: number }): Promise<RunChangesPage>
  /** Revert every change of the run nobody else overwrote since, in one commit; the rest is reported in `conflicts`. */
  revert(runId: string): Promise<RunRevertResult>
}

export type Snapshot<S extends Schema> = { [K in keyof ModelsOf<S>]: RowOf<ModelsOf<S>[K]>[] }

export interface TandemCore<S extends Schema> {
  readonly schema: S
  /** Connection status: connecting, connected, offline, backoff, auth_blocked. */
  readonly status: ReadableAtom<Status>
  /**
   * Resolves when connected and bootstrapped (the first time). The same promise on every call, with
   * a synchronous `status`, so a Suspense boundary can throw it (or React can `use()` it).
   */
  ready(): ReadyPromise
  /** As `ready()`, but rejects with TandemConnectionError `timeout` after `timeoutMs` (the client keeps trying). */
  ready(options: { timeoutMs?: number }): Promise<void>
  /** Start connecting, for a client made with `autoConnect: false` (a no-op otherwise, or once started). */
  start(): void
  /** The error behind status `auth_blocked` (its `code` says why: `unauthenticated`, `session_expired`, …); null otherwise. */
  readonly authError: ReadableAtom<TandemError | null>
  /** This client's own claims: waiting in line, held, or lost and not yet released. */
  readonly ownClaims: ReadableAtom<readonly OwnClaim[]>
  /**
   * Who is connected and what they look at: `presence.list`, `presence.others(target?)`, `presence.setIntent(intent)`,
   * `presence.clearIntent()`. Ephemeral, scoped by sync groups. See docs/presence.md.
   */
  readonly presence: PresenceApi
  /** Plain JSON of the local graph. */
  snapshot(): Snapshot<S>
  /** The syncId the local graph is at (use as `readAt`). */
  cursor(): number
  /**
   * A readable store (nanostores' `get` / `listen` / `subscribe`, and Svelte's store contract) of
   * `selector`'s result. `get()` returns the same reference until something the selector read
   * changes and the result is not `equal` (default `shallowEqual`); listeners hear only of changes.
   */
  select<T>(selector: (tandem: TandemClient<S>) => T, options?: SelectOptions<T>): ReadableAtom<T>
  /** Call `listener` whenever `selector`'s result changes (`select(selector).listen`); returns unsubscribe. */
  subscribe<T>(selector: (tandem: TandemClient<S>) => T, listener: (value: T, previous: T) => void): () => void
  /** A store of one target's claim state (holder, queue, this client's claim) with `claim()` / `release()`. */
  claimView<K extends keyof ModelsOf<S> & string>(args: ClaimViewArgs<S, K>): ClaimViewStore<RowOf<ModelsOf<S>[K]>>
  /** Writes not yet confirmed by the server. */
  pendingCount(): number
  /**
   * Several writes as one commit: applied locally together once `fn` returns, sent with one idempotency key,
   * committed all-or-nothing, rolled back together if the server refuses any (the error names `operations[N]…`),
   * and undone as one step. `fn` throwing sends nothing. One transaction at a time per client; they do not nest.
   * See docs/transactions.md.
   * @example
   * const { value: card } = await tandem.transaction((tx) => {
   *   tx.cards.update({ id: done.id, data: { status: 'archived' } })
   *   return tx.cards.create({ data: { title: 'Next' } })
   * })
   */
  transaction<T>(fn: (tx: Transaction<S>) => T | Promise<T>, options?: TransactionOptions): Promise<TransactionResult<Awaited<T>>>
  /**
   * Undo this client's last write (one commit: all its operations), by writing its inverse. Never overwrites
   * what someone else changed since: that is reported as `{ status: 'conflict' }`. See docs/undo.md.
   */
  undo(): Promise<UndoResult>
  /** Apply again what the last `undo()` took back (same guard). A new write clears what can be redone. */
  redo(): Promise<UndoResult>
  /** True while `undo()` has a step (reactive, for an Undo button). */
  readonly canUndo: ReadableAtom<boolean>
  /** True while `redo()` has a step (reactive). */
  readonly canRedo: ReadableAtom<boolean>
  /** The same client, with every write tagged `runId` (unless a verb names its own); shares the connection, graph and undo stack. */
  withRun(runId: string): TandemClient<S>
  /** The run id this client tags writes with, if any. */
  readonly runId: string | undefined
  /** List and revert runs. */
  readonly runs: RunsApi
  dispose(): Promise<void>
}

export type TandemClient<S extends Schema> = TandemCore<S> & { readonly [K in keyof ModelsOf<S>]: ModelApi<ModelsOf<S>[K]> }

/**
 * Declaration-merge your schema (or your client's type) into `Register` once, and code typed with
 * `RegisteredClient` (the framework hooks) knows your models without generics at each call:
 * @example
 * declare module '@tandem/core' {
 *   interface Register {
 *     schema: typeof schema
 *   }
 * }
 */
// Empty on purpose: apps add `schema` or `client` by declaration merging.
export interface Register {}

/** The registered schema, or `Schema` when none is registered. */
export type RegisteredSchema = Register extends { schema: infer S extends Schema } ? S : Schema

/** The registered client type (`Register['client']`, else a client of the registered schema). */
export type RegisteredClient = Register extends { client: infer C } ? C : TandemClient<RegisteredSchema>
