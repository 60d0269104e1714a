/**
 * @module Reads and commits against the Data Source, with every returned row
 * checked against the model's schema before it reaches the server.
 */
import type { AnyRow, Schema } from '@tandem/core/schema'
import type { ListQuery, StoredRow } from '@tandem/core/server'
import { commitResponse, type CommitRequest, listResponse, loadResponse, toSourceQuery } from './protocol.ts'
import type { CallResult, SourceClient } from './source-client.ts'
import { dataSourceError } from './source-errors.ts'

export interface RemoteRows {
  load(model: string, id: string): Promise<StoredRow | null>
  list(model: string, query: ListQuery): Promise<AnyRow[]>
  /** Every row of `model` visible to `groups`, page by page. */
  listAll(model: string, groups: readonly string[] | null): Promise<AnyRow[]>
  commit(request: CommitRequest): Promise<CallResult<{ rows: Array<AnyRow | null> }>>
}

const systemFields = new Set(['id', 'createdAt', 'updatedAt', 'syncId'])
const pageSize = 1000

export function createRemoteRows(client: SourceClient, schema: () => Schema): RemoteRows {
  const invalid = (message: string) => dataSourceError('invalid_response', message, { attempts: 1 })

  const check = (model: string, row: AnyRow, what: string): AnyRow => {
    const def = schema().models[model]
    if (!def) throw invalid(`${what} is for an unknown model "${model}"`)
    const fields: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(row)) if (!systemFields.has(k)) fields[k] = v
    const parsed = def.object.safeParse(fields)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw invalid(`${what} (${model} "${row.id}") does not fit the schema at ${issue?.path.join('.') || '(row)'}: ${issue?.message ?? ''}`)
    }
    return row
  }

  const unwrap = <T>(result: CallResult<T>): T => {
    if (!result.ok) throw result.error
    return result.value
  }

  const list = async (model: string, query: ListQuery): Promise<AnyRow[]> => {
    const { rows } = unwrap(await client.call({ type: 'list', model, query: toSourceQuery(query) }, listResponse))
    if (rows.length > query.limit) throw invalid(`"list" returned ${rows.length} rows for limit ${query.limit}`)
    return rows.map((r) => check(model, r as AnyRow, 'a listed row'))
  }

  return {
    async load(model, id) {
      const { row, groups } = unwrap(await client.call({ type: 'load', model, id }, loadResponse))
      if (row === null) return null
      if (row.id !== id) throw invalid(`"load" of "${id}" returned row "${row.id}"`)
      if (!groups) throw invalid(`"load" of ${model} "${id}" returned no "groups"`)
      return { row: check(model, row as AnyRow, 'the loaded row'), groups }
    },
    list,
    async listAll(model, groups) {
      const out: AnyRow[] = []
      for (let after: AnyRow | undefined; ;) {
        const page = await list(model, { conditions: [], sort: [{ field: 'id', dir: 'asc' }], limit: pageSize, groups, ...(after ? { after } : {}) })
        out.push(...page)
        if (page.length < pageSize) return out
        after = page.at(-1)
      }
    },
    async commit(request) {
      const result = await client.call(request, commitResponse)
      if (!result.ok) return result
      const { rows } = result.value
      const count = request.operations.length
      const bad =
        rows.length !== count
          ? `returned ${rows.length} rows for ${count} operations`
          : request.operations.findIndex((op, i) => (op.op === 'delete') !== (rows[i] === null) || (rows[i] !== null && rows[i]!.id !== op.id))
      if (bad === -1) return { ok: true, value: { rows: rows as Array<AnyRow | null> } }
      const message =
        typeof bad === 'string' ? bad : `row ${bad} does not answer operation ${bad} (${request.operations[bad]!.op} "${request.operations[bad]!.id}")`
      return {
        ok: false,
        error: dataSourceError('invalid_response', `"commit" ${message}`, { attempts: 1, clientTxId: request.clientTxId }),
        maybeApplied: true,
      }
    },
  }
}
