/** @module The verbs on `tandem.<model>`: optimistic writes, server reads, reactive local reads. */
import { createTandemError, TandemError, type TandemErrorInit, TandemNotFoundError, TandemValidationError } from '../errors/index.ts'
import {
  checkClaimTarget,
  checkRunId,
  type ClaimState,
  type ClaimTarget,
  claimTimeoutLimits,
  claimTtlLimits,
  durationMs,
  durationRule,
  type DurationLimits,
  holderFor,
  queueFor,
} from '../protocol/index.ts'
import { createId } from '../internal/ids.ts'
import type { CommitResult } from '../protocol/index.ts'
import { matches, normalizeQuery, rowComparator } from '../schema/query.ts'
import type { AnyRow } from '../schema/types.ts'
import { validateCreate, validateId, validatePatch } from '../schema/validate.ts'
import type { ClientOperation } from './local-graph.ts'
import type { ClientInternals } from './internals.ts'
import { withTimeout } from './with-timeout.ts'
import type { ClaimArgs, ClaimTargetArgs, CreateArgs, DeleteArgs, GetAllArgs, ListArgs, ModelApi, RowList, UpdateArgs, WaitMode } from './types.ts'

const pick = <T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> => {
  const out: Partial<Pick<T, K>> = {}
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k]
  return out
}

/** A duration option in milliseconds, refused here as the server would refuse it (`invalid_request`, with the range). */
function checkDuration(value: number | string | undefined, limits: DurationLimits): number | undefined {
  if (value === undefined) return undefined
  const ms = durationMs(value, limits)
  if (ms === null) throw new TandemValidationError({ code: 'invalid_request', message: durationRule(limits), param: limits.name })
  return ms
}

/** A one-operation verb's error names the verb's own argument (`id`, `title`), not the commit's `operations[0].id`. */
function relativeToVerb(error: unknown): unknown {
  if (!(error instanceof TandemError) || !error.param?.startsWith('operations[0].')) return error
  const init: TandemErrorInit = {
    code: error.code,
    message: error.message,
    param: error.param.slice('operations[0].'.length),
    status: error.status,
    retryable: error.retryable,
    cause: error,
  }
  if (error.details !== undefined) init.details = error.details
  return createTandemError(init)
}

/**
 * `onStale: 'flag'`: the row carries the commit's verdict as a non-enumerable `stale`, so it does not show in
 * equality, spreads or JSON (a model field named `stale` keeps its own value).
 */
function markStale(row: AnyRow, stale: boolean): AnyRow {
  const copy = { ...row }
  if (!Object.hasOwn(copy, 'stale')) Object.defineProperty(copy, 'stale', { value: stale, enumerable: false })
  return copy
}

/** The verbs of one model; `defaultRunId` (from `Tandem({ runId })` or `withRun`) tags writes that name no `runId`. */
export function createModelApi(internals: ClientInternals, model: string, defaultRunId?: string): ModelApi<any> {
  const { schema, graph } = internals

  const write = async (
    operation: ClientOperation,
    args: { wait?: WaitMode | undefined; idempotencyKey?: string | undefined; timeout?: number | undefined; runId?: string | undefined },
  ): Promise<CommitResult | null> => {
    const { wait, idempotencyKey: key, timeout } = args
    const runId = args.runId ?? defaultRunId
    if (runId !== undefined) checkRunId(runId)
    const fields = operation.op === 'delete' ? null : operation.op === 'update' ? Object.keys(operation.data ?? {}) : undefined
    const token = fields === undefined ? undefined : internals.claims.tokenFor(model, operation.id, fields)
    const pending = internals.write([operation], key, token, runId)

    if (wait === 'queued') {
      await pending.queued
      return null
    }
    const confirmed = pending.confirmed.catch((error: unknown) => {
      throw relativeToVerb(error)
    })
    return withTimeout(confirmed, timeout)
  }

  const localQuery = (args: GetAllArgs<AnyRow> | undefined) => {
    const { conditions, sort } = normalizeQuery(schema, model, args?.where, args?.orderBy)
    const rows: AnyRow[] = []
    for (const row of graph.all(model)) if (matches(row, conditions)) rows.push(row)
    return { rows, sort }
  }

  const claim = Object.assign(
    async (args: ClaimArgs<AnyRow>) => {
      validateId(args.id)
      const target: ClaimTarget = { model, id: args.id, ...(args.field !== undefined ? { field: args.field } : {}) }
      checkClaimTarget(schema, target)
      const ttlMs = checkDuration(args.ttl, claimTtlLimits)
      checkDuration(args.timeoutMs, claimTimeoutLimits)
      const request = { ...target, ...pick(args, ['action', 'wait', 'maxQueueDepth', 'ttl', 'timeoutMs']) }
      const handle = await internals.claims.acquire(request as never, ttlMs)
      graph.mergeFetched(model, [handle.data as AnyRow])
      return handle
    },
    {
      state({ id, field }: ClaimTargetArgs<AnyRow>): ClaimState | null {
        return holderFor(internals.claims.claimsOn(model, id), field)
      },
      queue({ id, field }: ClaimTargetArgs<AnyRow>): ClaimState[] {
        return queueFor(internals.claims.claimsOn(model, id), field)
      },
      async release({ id, field }: ClaimTargetArgs<AnyRow>): Promise<void> {
        await internals.claims.heldOn({ model, id, ...(field !== undefined ? { field } : {}) })?.release()
      },
      async reorder({ id, field, order }: { id: string; field?: string; order: Array<string | ClaimState> }): Promise<void> {
        await internals.rpc('claim_reorder', {
          model,
          id,
          ...(field !== undefined ? { field } : {}),
          order: order.map((o) => (typeof o === 'string' ? o : o.id)),
        })
      },
    },
  )
  const api: ModelApi<any> = {
    claim: claim as never,
    async create(args: CreateArgs<any>) {
      const data = validateCreate(schema, model, args.data)
      const id = args.id === undefined ? createId() : validateId(args.id)
      const result = await write({ op: 'create', model, id, data }, args)
      return (result ? result.rows[0] : graph.get(model, id)) as never
    },

    async update(args: UpdateArgs<any>) {
      const id = validateId(args.id)
      const data = validatePatch(schema, model, args.data)
      const operation: ClientOperation = { op: 'update', model, id, data }
      if (args.readAt !== undefined) operation.readAt = args.readAt
      if (args.onStale !== undefined) operation.onStale = args.onStale
      const result = await write(operation, args)
      const row = (result ? result.rows[0] : (graph.get(model, id) ?? { id, ...data })) as AnyRow
      return (args.onStale === 'flag' && result ? markStale(row, result.stale) : row) as never
    },

    async delete(args: DeleteArgs) {
      const id = validateId(args.id)
      const operation: ClientOperation = { op: 'delete', model, id }
      if (args.readAt !== undefined) operation.readAt = args.readAt
      if (args.onStale !== undefined) operation.onStale = args.onStale
      await write(operation, args)
    },

    async retrieve({ id, ifClaimed, timeoutMs }) {
      validateId(id)
      let row: AnyRow | null
      const params = { model, id, ...pick({ ifClaimed, timeoutMs }, ['ifClaimed', 'timeoutMs']) }
      try {
        row = (await internals.read('retrieve', params)) as AnyRow | null
      } catch (error) {
        if (error instanceof TandemNotFoundError) return null
        throw error
      }
      if (row) graph.mergeFetched(model, [row])
      return row as never
    },

    async list(args: ListArgs<any> = {}) {
      normalizeQuery(schema, model, args.where, args.orderBy)
      if (args.type === 'unknown') {
        const local = api.getAll(args)
        void api.list({ ...args, type: 'complete' }).catch(() => undefined)
        return Object.assign(local, { hasMore: false, nextCursor: null }) as never
      }
      const params = { model, ...pick(args, ['where', 'orderBy', 'limit', 'cursor']) }
      const page = (await internals.read('list', params)) as {
        data: AnyRow[]
        hasMore: boolean
        nextCursor: string | null
      }
      graph.mergeFetched(model, page.data)
      return Object.assign(page.data, { hasMore: page.hasMore, nextCursor: page.nextCursor }) as RowList<never>
    },

    get(id: string) {
      return graph.get(model, id) as never
    },

    getAll(args?: GetAllArgs<any>) {
      const { rows, sort } = localQuery(args)
      rows.sort(rowComparator(sort))
      return (args?.limit !== undefined ? rows.slice(0, args.limit) : rows) as never
    },

    getCount(args?: { where?: Record<string, unknown> }) {
      return localQuery(args as GetAllArgs<AnyRow>).rows.length
    },
  }
  return api
}
