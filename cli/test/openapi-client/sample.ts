/**
 * A backend's view of Tandem through a generated client: types from
 * openapi-typescript (`api.d.ts`), calls through openapi-fetch. The OpenAPI
 * test type-checks this file (every `@ts-expect-error` must be needed: a
 * wrong field that compiled would fail it) and runs `commitClaimRead`
 * against a real server.
 */
import createClient from 'openapi-fetch'
import type { paths } from './api.d.ts'

export async function commitClaimRead(baseUrl: string, apiKey: string) {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } })

  const created = await api.POST('/v1/commits', {
    params: { header: { 'Idempotency-Key': 'sample-create-1' } },
    body: { operations: [{ op: 'create', model: 'tasks', id: 't1', data: { title: 'Write the report', points: 3 } }] },
  })
  if (!created.data) throw new Error(`commit refused: ${created.error?.error.code}`)
  // A commit answers one row per operation, of any model (null for a delete): narrow by a field.
  const row = created.data.rows[0]

  const claim = await api.POST('/v1/claims', { body: { model: 'tasks', id: 't1', action: 'summarizing', ttl: '60s' } })
  if (!claim.data) throw new Error(`claim refused: ${claim.error?.error.code}`)
  const updated = await api.POST('/v1/commits', {
    body: { operations: [{ op: 'update', model: 'tasks', id: 't1', data: { status: 'doing' }, readAt: claim.data.data.syncId }], claimToken: claim.data.token },
  })
  const released = await api.DELETE('/v1/claims/{claimId}', { params: { path: { claimId: claim.data.id } } })

  const one = await api.GET('/v1/models/tasks/{id}', { params: { path: { id: 't1' } } })
  const page = await api.GET('/v1/models/tasks', { params: { query: { limit: 10, where: JSON.stringify({ status: 'doing' }) } } })
  const missing = await api.GET('/v1/models/tasks/{id}', { params: { path: { id: 'nope' } } })
  return {
    createdTitle: row && 'title' in row ? row.title : undefined,
    claimStatus: claim.data.status,
    updatedStatus: ((r) => (r && 'status' in r ? r.status : undefined))(updated.data?.rows[0]),
    releasedStatus: released.data?.status,
    // Typed rows: `status` is the model's enum, `points` a number.
    retrieved: one.data && { status: one.data.status, points: one.data.points },
    listed: page.data?.data.map((t) => t.id),
    missingCode: missing.error?.error.code,
  }
}

/** Never called: each line must fail to compile. */
export function wrongCalls(api: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error: `titel` is not a field of tasks
  void api.POST('/v1/commits', { body: { operations: [{ op: 'create', model: 'tasks', data: { titel: 'typo' } }] } })
  // @ts-expect-error: a create of tasks needs its title
  void api.POST('/v1/commits', { body: { operations: [{ op: 'create', model: 'tasks', data: { status: 'todo' } }] } })
  // @ts-expect-error: `status` is todo | doing | done
  void api.POST('/v1/commits', { body: { operations: [{ op: 'update', model: 'tasks', id: 't1', data: { status: 'finished' } }] } })
  // @ts-expect-error: notes have a body, not a title
  void api.POST('/v1/commits', { body: { operations: [{ op: 'update', model: 'notes', id: 'n1', data: { title: 'x' } }] } })
  // @ts-expect-error: an update needs the id
  void api.POST('/v1/commits', { body: { operations: [{ op: 'update', model: 'tasks', data: { status: 'done' } }] } })
  // @ts-expect-error: `limit` is a number
  void api.GET('/v1/models/tasks', { params: { query: { limit: '10' } } })
  // @ts-expect-error: a claim needs the row's id
  void api.POST('/v1/claims', { body: { model: 'tasks' } })
}
