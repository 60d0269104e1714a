/** @module Public types of the client: options, verbs, results. */
import type { ReadableAtom } from 'nanostores'
import type { OnStale } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { WhereOps } from '../schema/query.ts'
import type { CreateInputOf, ModelsOf, RowOf, UpdateInputOf } from '../schema/types.ts'
import type { Transport } from '../transport/transport.ts'
import type { Status } from './connection.ts'
import type { ClaimHandle } from './claims-client.ts'
import type { ClaimState } from '../protocol/index.ts'

export type { ClaimHandle, ClaimState }

export type { Status }

export interface Participant {
  kind: 'human' | 'agent'
  name?: string
}

export interface TandemOptions<S extends Schema> {
  schema: S
  /** Default `process.env.TANDEM_URL`, else `http://127.0.0.1:7878`. */
  baseURL?: string
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
  /** Names the IndexedDB queue; default the baseURL. Use one per signed-in user, so a queue is never replayed as someone else. */
  persistenceKey?: string
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
}
export interface DeleteArgs {
  id: string
  wait?: WaitMode
  readAt?: number
  onStale?: OnStale
  idempotencyKey?: string
  timeout?: number
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

/** The verbs on `tandem.<model>`. */
export interface ModelApi<M> {
  create(args: CreateArgs<M>): Promise<RowOf<M>>
  update(args: UpdateArgs<M>): Promise<RowOf<M>>
  delete(args: DeleteArgs): Promise<void>
  retrieve(args: RetrieveArgs): Promise<RowOf<M> | null>
  list(args?: ListArgs<RowOf<M>>): Promise<RowList<RowOf<M>>>
  get(id: string): RowOf<M> | undefined
  getAll(args?: GetAllArgs<RowOf<M>>): RowOf<M>[]
  getCount(args?: { where?: WhereOf<RowOf<M>> }): number
  claim: ClaimApi<RowOf<M>>
}

export type Snapshot<S extends Schema> = { [K in keyof ModelsOf<S>]: RowOf<ModelsOf<S>[K]>[] }

export interface TandemCore<S extends Schema> {
  readonly schema: S
  /** Connection status: connecting, connected, offline, backoff, auth_blocked. */
  readonly status: ReadableAtom<Status>
  /** Resolves when connected and bootstrapped (the first time). */
  ready(): Promise<void>
  /** Plain JSON of the local graph. */
  snapshot(): Snapshot<S>
  /** The syncId the local graph is at (use as `readAt`). */
  cursor(): number
  /** Call `listener` whenever `selector`'s result changes; returns unsubscribe. */
  subscribe<T>(selector: (tandem: TandemClient<S>) => T, listener: (value: T, previous: T) => void): () => void
  /** Writes not yet confirmed by the server. */
  pendingCount(): number
  dispose(): Promise<void>
}

export type TandemClient<S extends Schema> = TandemCore<S> & { readonly [K in keyof ModelsOf<S>]: ModelApi<ModelsOf<S>[K]> }
