/** @module Tools for every model of a schema: read, write (stale-guarded), claim — shared by MCP and the AI SDK. */
import { z, type Schema, type TandemClient } from '@tandem/core'
import type { AgentTool } from './agent-tool.ts'

export interface ModelToolsOptions {
  /** Only these models (default: every model of the schema). */
  models?: readonly string[]
  /** Leave out the write tools (create, update, delete). */
  readOnly?: boolean
  /**
   * Tag every write with this run id (default: the client's own `runId`, if any), and add the tools
   * `run_changes` and `run_revert`, so the agent's work (or a person, later) can be listed and taken back.
   */
  runId?: string
}

// Verbs reached through the untyped side of the client: the schema is only known at run time here.
interface AnyModelApi {
  list(args: Record<string, unknown>): Promise<Record<string, unknown>[] & { hasMore: boolean; nextCursor: string | null }>
  retrieve(args: { id: string; ifClaimed?: string; timeoutMs?: number }): Promise<Record<string, unknown> | null>
  create(args: Record<string, unknown>): Promise<Record<string, unknown>>
  update(args: Record<string, unknown>): Promise<Record<string, unknown>>
  delete(args: Record<string, unknown>): Promise<void>
  claim: {
    (args: Record<string, unknown>): Promise<{ id: string; token: string; action: string; data: Record<string, unknown>; target: unknown }>
    state(args: { id: string; field?: string }): unknown
    queue(args: { id: string; field?: string }): unknown[]
    release(args: { id: string; field?: string }): Promise<void>
  }
}

const readAtField = z
  .number()
  .int()
  .nonnegative()
  .describe(
    'The syncId your change is based on: the `syncId` of the row as you read it (retrieve/list). The write fails with stale_context if the row changed since.',
  )
const onStaleField = z
  .enum(['reject', 'flag', 'force'])
  .optional()
  .describe("Default 'reject'. 'flag' writes anyway and marks the commit stale; 'force' overwrites.")
const fieldField = z.string().optional().describe('Claim one field instead of the whole row.')

function readTools(name: string, api: AnyModelApi, tandem: TandemClient<Schema>): AgentTool[] {
  return [
    {
      name: `${name}_list`,
      model: name,
      verb: 'list',
      title: `List ${name}`,
      description: `List ${name} rows from the server. Each row carries its syncId: pass it as readAt when you write the row.`,
      input: z.object({
        where: z.record(z.string(), z.unknown()).optional().describe('Field equality ({"status":"todo"}), an array for IN, or operators ({"gt":3}).'),
        orderBy: z.record(z.string(), z.enum(['asc', 'desc'])).optional(),
        limit: z.number().int().min(1).max(500).optional().describe('Default 50.'),
        cursor: z.string().optional().describe('nextCursor of the previous page.'),
      }),
      readOnly: true,
      destructive: false,
      async run({ where, orderBy, limit, cursor }) {
        const rows = await api.list({ where, orderBy, limit: limit ?? 50, cursor })
        return { rows: [...rows], hasMore: rows.hasMore, nextCursor: rows.nextCursor, syncId: tandem.cursor() }
      },
    },
    {
      name: `${name}_retrieve`,
      model: name,
      verb: 'retrieve',
      title: `Retrieve one of ${name}`,
      description: `Read one ${name} row by id from the server (null when it does not exist). Use its syncId as readAt when you write it.`,
      input: z.object({ id: z.string() }),
      readOnly: true,
      destructive: false,
      async run({ id }) {
        const row = await api.retrieve({ id: id as string })
        return { row, readAt: row ? row['syncId'] : null }
      },
    },
  ]
}

function writeTools(name: string, api: AnyModelApi, object: z.ZodObject): AgentTool[] {
  return [
    {
      name: `${name}_create`,
      model: name,
      verb: 'create',
      title: `Create one of ${name}`,
      description: `Create a ${name} row; returns it as committed (with its id and syncId).`,
      input: z.object({ data: object, id: z.string().optional().describe('Your own id (default: a generated sortable id).') }),
      readOnly: false,
      destructive: false,
      run: ({ data, id }) => api.create({ data, id }),
    },
    {
      name: `${name}_update`,
      model: name,
      verb: 'update',
      title: `Update one of ${name}`,
      description: `Change some fields of a ${name} row. Stale-guarded: readAt is the row's syncId as you read it; if anyone changed it since, the write fails with stale_context and names the conflicting fields. Fails with entity_claimed while someone else holds a claim on it.`,
      input: z.object({ id: z.string(), data: object.partial(), readAt: readAtField, onStale: onStaleField }),
      readOnly: false,
      destructive: false,
      run: ({ id, data, readAt, onStale }) => api.update({ id, data, readAt, onStale }),
    },
    {
      name: `${name}_delete`,
      model: name,
      verb: 'delete',
      title: `Delete one of ${name}`,
      description: `Delete a ${name} row, stale-guarded like update.`,
      input: z.object({ id: z.string(), readAt: readAtField, onStale: onStaleField }),
      readOnly: false,
      destructive: true,
      async run({ id, readAt, onStale }) {
        await api.delete({ id, readAt, onStale })
        return { deleted: id }
      },
    },
  ]
}

/** Claiming shows the claim as this client's presence intent; releasing clears it when it is still that row's. */
function showClaim(tandem: TandemClient<Schema>, model: string, input: Record<string, unknown>): void {
  const action = typeof input['action'] === 'string' && input['action'] ? input['action'].slice(0, 200) : 'claimed'
  const field = typeof input['field'] === 'string' ? { field: input['field'] } : {}
  tandem.presence.setIntent({ model, id: input['id'] as string, ...field, action })
}

function unshowClaim(tandem: TandemClient<Schema>, model: string, id: string): void {
  const mine = tandem.presence.list.get().find((e) => e.self)?.intent
  if (mine?.model === model && mine.id === id) tandem.presence.clearIntent()
}

function claimTools(name: string, api: AnyModelApi, tandem: TandemClient<Schema>): AgentTool[] {
  return [
    {
      name: `${name}_claim`,
      model: name,
      verb: 'claim',
      title: `Claim one of ${name}`,
      description: `Take a fair (first come, first served) lease on a ${name} row (or one field) before slow work, so nobody else writes it meanwhile. Waits in line by default; returns the row as of the grant (use its syncId as readAt). Held, and renewed, until ${name}_release or the end of this session.`,
      input: z.object({
        id: z.string(),
        field: fieldField,
        action: z.string().max(200).optional().describe('What you are doing, shown to others (e.g. "writing forecast").'),
        wait: z.boolean().optional().describe('Default true. false: fail at once with entity_claimed if held.'),
        timeoutMs: z.number().int().positive().max(600_000).optional().describe('Give up (grant_timeout) after this many ms in line.'),
        ttl: z.string().optional().describe('Lease length, e.g. "30s" or "2m" (default 30s, renewed while connected).'),
      }),
      readOnly: false,
      destructive: false,
      async run(input) {
        const handle = await api.claim(input)
        showClaim(tandem, name, input)
        return { claimId: handle.id, target: handle.target, action: handle.action, data: handle.data, readAt: handle.data['syncId'] }
      },
    },
    {
      name: `${name}_release`,
      model: name,
      verb: 'release',
      title: `Release a claim on one of ${name}`,
      description: `Give back your claim on a ${name} row (after your writes landed); the next in line gets it.`,
      input: z.object({ id: z.string(), field: fieldField }),
      readOnly: false,
      destructive: false,
      async run({ id, field }) {
        await api.claim.release({ id: id as string, field: field as string | undefined })
        unshowClaim(tandem, name, id as string)
        return { released: true }
      },
    },
    {
      name: `${name}_claim_state`,
      model: name,
      verb: 'claim_state',
      title: `Who holds one of ${name}`,
      description: `Who holds a claim on a ${name} row (or field) now, and who waits in line behind them.`,
      input: z.object({ id: z.string(), field: fieldField }),
      readOnly: true,
      destructive: false,
      async run({ id, field }) {
        const target = { id: id as string, field: field as string | undefined }
        return { holder: api.claim.state(target), queue: api.claim.queue(target) }
      },
    },
  ]
}

function runTools(runId: string, tandem: TandemClient<Schema>): AgentTool[] {
  return [
    {
      name: 'run_changes',
      model: '',
      verb: 'run_changes',
      title: "This run's changes",
      description: `The commits made under this run (${runId}), in log order, a page at a time.`,
      input: z.object({
        after: z.number().int().nonnegative().optional().describe('nextCursor of the previous page.'),
        limit: z.number().int().min(1).max(500).optional(),
      }),
      readOnly: true,
      destructive: false,
      run: ({ after, limit }) => tandem.runs.list(runId, { after: after as number | undefined, limit: (limit as number | undefined) ?? 100 }),
    },
    {
      name: 'run_revert',
      model: '',
      verb: 'run_revert',
      title: 'Revert this run',
      description: `Take back every change of this run (${runId}) that nobody else has changed since, in one commit; the others are reported in conflicts and left alone.`,
      input: z.object({}),
      readOnly: false,
      destructive: true,
      run: () => tandem.runs.revert(runId),
    },
  ]
}

/**
 * The tools for a client's models: `<model>_list|retrieve|create|update|delete|claim|release|claim_state` (+ `run_changes|run_revert` with a runId).
 * A granted claim also becomes the client's presence intent (its action, or "claimed"); releasing clears it.
 */
export function modelTools<S extends Schema>(tandem: TandemClient<S>, options: ModelToolsOptions = {}): AgentTool[] {
  const runId = options.runId ?? tandem.runId
  const client = (options.runId ? tandem.withRun(options.runId) : tandem) as unknown as TandemClient<Schema> & Record<string, AnyModelApi>
  const names = options.models ?? tandem.schema.modelNames
  const tools = names.flatMap((name) => {
    const def = tandem.schema.models[name]
    if (!def) throw new TypeError(`modelTools: the schema has no model "${name}" (models: ${tandem.schema.modelNames.join(', ')})`)
    const api = client[name]!
    return [...readTools(name, api, client), ...(options.readOnly ? [] : writeTools(name, api, def.object)), ...claimTools(name, api, client)]
  })
  return runId && !options.readOnly ? [...tools, ...runTools(runId, client)] : tools
}
