/**
 * @module `tandem.transaction(fn)`: the writes `fn` makes through `tx` are collected, checked as the verbs check
 * them, and only once `fn` returns go to the outbox as ONE commit. So they are applied locally together, rolled
 * back together, replayed with one idempotency key and undone as one step; a throwing `fn` leaves no trace.
 */
import { TandemValidationError } from '../errors/index.ts'
import { createId } from '../internal/ids.ts'
import { checkRunId } from '../protocol/index.ts'
import { paramPath } from '../schema/param-path.ts'
import type { AnyRow } from '../schema/types.ts'
import { validateCreate, validateId, validatePatch } from '../schema/validate.ts'
import type { ClientInternals } from './internals.ts'
import type { ClientOperation } from './local-graph.ts'
import type { TransactionModelApi, TransactionOptions, TransactionResult } from './types.ts'
import { withTimeout } from './with-timeout.ts'

const rowKey = (model: string, id: string) => `${model}\u0000${id}`

type Run = <T>(fn: (tx: never) => T | Promise<T>, options?: TransactionOptions) => Promise<TransactionResult<Awaited<T>>>
type Callback = (tx: never) => unknown

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

function refuse(message: string): never {
  throw new TandemValidationError({ code: 'invalid_request', message, param: 'transaction' })
}

/** The writes of one open transaction, and the rows as they will be after them. */
class Draft {
  readonly operations: ClientOperation[] = []
  /** Row after each operation, for the result of a transaction sent with `wait: 'queued'`. */
  readonly rows: Array<AnyRow | null> = []
  readonly #overlay = new Map<string, AnyRow | undefined>()
  #ended = false
  readonly #at = new Date().toISOString()
  readonly internals: ClientInternals

  constructor(internals: ClientInternals) {
    this.internals = internals
  }

  end(): void {
    this.#ended = true
  }

  row(model: string, id: string): AnyRow | undefined {
    const k = rowKey(model, id)
    return this.#overlay.has(k) ? this.#overlay.get(k) : this.internals.graph.peek(model, id)
  }

  /** The path of the next operation's params, as the server names them (`operations[2].title`). */
  get at(): string {
    if (this.#ended) refuse('This transaction has ended: use `tx` only inside the callback, before it returns (or its promise settles)')
    return `operations[${this.operations.length}]`
  }

  push(operation: ClientOperation, after: AnyRow | undefined): void {
    const fields = operation.op === 'create' ? undefined : operation.op === 'delete' ? null : Object.keys(operation.data ?? {})
    // Each row's own fencing token, so one commit can write rows held under different claims.
    const token = fields === undefined ? undefined : this.internals.claims.tokenFor(operation.model, operation.id, fields)
    this.operations.push(token ? { ...operation, claimToken: token } : operation)
    this.#overlay.set(rowKey(operation.model, operation.id), after)
    this.rows.push(after ?? null)
  }

  model(model: string): TransactionModelApi<any> {
    const { schema } = this.internals
    const guard = (operation: ClientOperation, args: { readAt?: number | undefined; onStale?: ClientOperation['onStale'] | undefined }) => {
      if (args.readAt !== undefined) operation.readAt = args.readAt
      if (args.onStale !== undefined) operation.onStale = args.onStale
      return operation
    }
    return {
      create: (args) => {
        const at = this.at
        const data = validateCreate(schema, model, args.data, at)
        const id = args.id === undefined ? createId() : validateId(args.id, paramPath(at, 'id'))
        const row = Object.freeze({ ...data, id, createdAt: this.#at, updatedAt: this.#at, syncId: 0 }) as AnyRow
        this.push({ op: 'create', model, id, data }, row)
        return row as never
      },
      update: (args) => {
        const at = this.at
        const id = validateId(args.id, paramPath(at, 'id'))
        const data = validatePatch(schema, model, args.data, at)
        const before = this.row(model, id)
        const row = Object.freeze(before ? { ...before, ...data, updatedAt: this.#at } : { id, ...data }) as AnyRow
        this.push(guard({ op: 'update', model, id, data }, args), row)
        return row as never
      },
      delete: (args) => {
        const at = this.at
        const id = validateId(args.id, paramPath(at, 'id'))
        this.push(guard({ op: 'delete', model, id }, args), undefined)
      },
      get: (id) => this.row(model, id) as never,
    }
  }
}

/**
 * The `transaction` verb of one client, for its default run and for each `withRun` view; they share `open`, so
 * a transaction started inside another (or while another's callback is still running) is refused, not nested.
 */
export function createTransactions(internals: ClientInternals): (defaultRunId: string | undefined) => Run {
  let open = false
  return (defaultRunId) =>
    async function transaction(fn: Callback, options: TransactionOptions = {}): Promise<TransactionResult<unknown>> {
      if (typeof fn !== 'function') refuse('tandem.transaction(fn): `fn` must be a function that makes its writes through `tx`')
      if (open) {
        refuse(
          'A transaction is already open on this client: transactions do not nest, and one runs at a time; make these writes through the open `tx`, or after it',
        )
      }
      const runId = options.runId ?? defaultRunId
      if (runId !== undefined) checkRunId(runId)
      const draft = new Draft(internals)
      const tx = Object.fromEntries(internals.schema.modelNames.map((m) => [m, draft.model(m)]))
      open = true
      const close = () => (draft.end(), (open = false))
      let value: unknown
      try {
        value = fn(tx as never)
      } catch (error) {
        close()
        throw error
      }
      // A synchronous callback closes at once, so transactions made one after another in a loop do not overlap.
      if (isThenable(value)) value = await Promise.resolve(value).finally(close)
      else close()
      if (draft.operations.length === 0) return { value, syncId: null, stale: false, rows: [] }
      const pending = internals.write(draft.operations, options.idempotencyKey, undefined, runId)
      if (options.wait === 'queued') {
        await pending.queued
        return { value, syncId: null, stale: false, rows: draft.rows }
      }
      const result = await withTimeout(pending.confirmed, options.timeout)
      return { value, syncId: result.syncId, stale: result.stale, rows: result.rows }
    } as Run
}
