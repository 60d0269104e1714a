/** @module The verbs on `tandem.<model>`: optimistic writes, server reads, reactive local reads. */
import { TandemConnectionError, TandemNotFoundError } from '../errors/index.ts'
import { createId } from '../internal/ids.ts'
import type { CommitResult, Operation } from '../protocol/index.ts'
import { matches, normalizeQuery, rowComparator } from '../schema/query.ts'
import type { AnyRow } from '../schema/types.ts'
import { validateCreate, validateId, validatePatch } from '../schema/validate.ts'
import type { LocalOp } from './local-graph.ts'
import type { ClientInternals } from './tandem.ts'
import type { CreateArgs, DeleteArgs, GetAllArgs, ListArgs, ModelApi, RowList, UpdateArgs, WaitMode } from './types.ts'

function withTimeout<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new TandemConnectionError({ code: 'timeout', message: `No confirmation within ${ms} ms (the write stays queued and may still land)` })),
      ms,
    )
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    )
  })
}

export function createModelApi(internals: ClientInternals, model: string): ModelApi<any> {
  const { schema, graph } = internals

  const write = async (local: LocalOp, wire: Operation, wait: WaitMode | undefined, key: string | undefined, timeout?: number): Promise<CommitResult | null> => {
    const pending = internals.write([local], [wire], key)
    if (wait === 'queued') {
      await pending.queued
      return null
    }
    return withTimeout(pending.confirmed, timeout)
  }

  const localQuery = (args: GetAllArgs<AnyRow> | undefined) => {
    const { conditions, sort } = normalizeQuery(schema, model, args?.where, args?.orderBy)
    const rows: AnyRow[] = []
    for (const row of graph.all(model)) if (matches(row, conditions)) rows.push(row)
    return { rows, sort }
  }

  const api: ModelApi<any> = {
    async create(args: CreateArgs<any>) {
      const data = validateCreate(schema, model, args.data)
      const id = args.id === undefined ? createId() : validateId(args.id)
      const at = new Date().toISOString()
      const result = await write({ op: 'create', model, id, data, at }, { op: 'create', model, id, data }, args.wait, args.idempotencyKey)
      return (result ? result.rows[0] : graph.get(model, id)) as never
    },

    async update(args: UpdateArgs<any>) {
      const id = validateId(args.id)
      const data = validatePatch(schema, model, args.data)
      const wire: Operation = { op: 'update', model, id, data }
      if (args.readAt !== undefined) wire.readAt = args.readAt
      if (args.onStale !== undefined) wire.onStale = args.onStale
      const at = new Date().toISOString()
      const result = await write({ op: 'update', model, id, data, at }, wire, args.wait, args.idempotencyKey, args.timeout)
      return (result ? result.rows[0] : (graph.get(model, id) ?? { id, ...data })) as never
    },

    async delete(args: DeleteArgs) {
      const id = validateId(args.id)
      const wire: Operation = { op: 'delete', model, id }
      if (args.readAt !== undefined) wire.readAt = args.readAt
      if (args.onStale !== undefined) wire.onStale = args.onStale
      await write({ op: 'delete', model, id, data: {}, at: new Date().toISOString() }, wire, args.wait, args.idempotencyKey, args.timeout)
    },

    async retrieve({ id }) {
      validateId(id)
      let row: AnyRow | null
      try {
        row = (await internals.read('retrieve', { model, id }, `/v1/models/${encodeURIComponent(model)}/${encodeURIComponent(id)}`)) as AnyRow | null
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
      const params: Record<string, unknown> = { model }
      const qs = new URLSearchParams()
      if (args.where !== undefined) (params['where'] = args.where), qs.set('where', JSON.stringify(args.where))
      if (args.orderBy !== undefined) (params['orderBy'] = args.orderBy), qs.set('orderBy', JSON.stringify(args.orderBy))
      if (args.limit !== undefined) (params['limit'] = args.limit), qs.set('limit', String(args.limit))
      if (args.cursor !== undefined) (params['cursor'] = args.cursor), qs.set('cursor', args.cursor)
      const page = (await internals.read('list', params, `/v1/models/${encodeURIComponent(model)}?${qs}`)) as {
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
