/**
 * @module The built-in HTTP API (spec §6) as one table: the server mounts each
 * entry (parsing its params, query and body with these schemas) and the
 * OpenAPI document is generated from it, so the two cannot drift. Adding a
 * route is one entry here plus its handler.
 */
import { z } from 'zod'
import { commitBatchRequestSchema, commitRequestSchema, commitResultSchema, idempotencyKeySchema, maxCommitsPerBatch } from '../commit.ts'
import { claimReleaseParamsSchema, claimReorderParamsSchema, claimRequestSchema, claimStateSchema } from '../claims.ts'
import {
  activeClaimsSchema,
  auditPageSchema,
  bootstrapBodySchema,
  changesPageSchema,
  claimAnswerSchema,
  commitBatchResultSchema,
  runChangesPageSchema,
  runRevertRequestSchema,
  runRevertResultSchema,
  claimQueueSchema,
  healthSchema,
  rowClaimsSchema,
} from '../http-bodies.ts'
import { logEntrySchema } from '../log.ts'
import { presenceDeletedSchema, presenceListSchema, presencePutBodySchema, presencePutResultSchema } from '../presence.ts'
import { decimalIntParam, decimalNumberParam } from '../query-params.ts'
import { mintedSessionSchema, revokedSessionSchema, sessionRequestSchema } from '../sessions.ts'
import { defineRoute, type ApiRoute } from './api-route.ts'
import { anyRow, changeUnion, modelWire, operationUnion, pascal } from './model-schemas.ts'

/** Longest `wait` a long-poll of `/v1/changes` may ask for, in seconds. */
export const maxWaitSeconds = 60

const limitParam = (fallback: number) => decimalIntParam().pipe(z.number().int().min(1).max(1000)).default(fallback)

const health = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  summary: 'Liveness and the newest log position',
  tags: ['health'],
  auth: 'none',
  responses: { 200: { description: 'The server is up', schema: healthSchema } },
  errors: [],
})

const metrics = defineRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary: 'Prometheus metrics (text exposition format)',
  description: 'No credentials: keep it off the public internet.',
  tags: ['health'],
  auth: 'none',
  responses: { 200: { description: 'Prometheus text format 0.0.4', schema: z.string(), contentType: 'text/plain' } },
  errors: [],
})

const openapi = defineRoute({
  method: 'get',
  path: '/v1/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI document',
  tags: ['meta'],
  auth: 'bearer',
  responses: { 200: { description: 'OpenAPI 3.1 document for this server’s schema', schema: z.record(z.string(), z.unknown()) } },
  errors: [],
})

const commit = defineRoute({
  method: 'post',
  path: '/v1/commits',
  operationId: 'createCommit',
  summary: 'Create, update and delete rows atomically',
  description: 'All operations get one log entry and one syncId, or none is written. Send an `Idempotency-Key` to make a retry safe.',
  tags: ['rows'],
  auth: 'bearer',
  headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional() }),
  body: commitRequestSchema,
  bodyLabel: 'commit',
  documentedBody: (schema) => commitRequestSchema.extend({ operations: z.array(operationUnion(schema)).min(1) }),
  responses: { 200: { description: 'The commit', schema: (schema) => commitResultSchema.extend({ rows: z.array(anyRow(schema).nullable()) }) } },
  errors: [400, 404, 409, 413],
})

const commitBatch = defineRoute({
  method: 'post',
  path: '/v1/commits/batch',
  operationId: 'createCommitBatch',
  summary: 'Several commits in one request, applied in order',
  description: `Up to ${maxCommitsPerBatch} commits, each atomic on its own with its own \`idempotencyKey\` and its own result: one refused commit changes nothing and stops nothing. A malformed batch is refused whole.`,
  tags: ['rows'],
  auth: 'bearer',
  body: commitBatchRequestSchema,
  bodyLabel: 'commit batch',
  responses: {
    200: {
      description: 'One result per commit, in order: the commit, or its error envelope with the status it would have had alone',
      schema: commitBatchResultSchema,
    },
  },
  errors: [400, 413],
})

const runParams = z.object({ runId: z.string().max(1024) })

const listRunChanges = defineRoute({
  method: 'get',
  path: '/v1/runs/{runId}',
  operationId: 'listRunChanges',
  summary: 'A run’s commits, in log order',
  description: 'The commits made with this `runId` (an agent’s task), with the changes the caller may see; 404 when it sees none.',
  tags: ['runs'],
  auth: 'bearer',
  params: runParams,
  query: z.object({ after: decimalIntParam().default(0), limit: decimalIntParam().pipe(z.number().min(1).max(1000)).default(100) }),
  responses: { 200: { description: 'A page of the run', schema: runChangesPageSchema } },
  errors: [400, 404],
})

const revertRun = defineRoute({
  method: 'post',
  path: '/v1/runs/{runId}/revert',
  operationId: 'revertRun',
  summary: 'Take back a run’s changes that nobody changed since, in one commit',
  description: 'What someone else changed since (or holds a claim on) is reported in `conflicts` and left alone.',
  tags: ['runs'],
  auth: 'bearer',
  params: runParams,
  body: runRevertRequestSchema,
  bodyLabel: 'revert request',
  emptyBody: true,
  responses: { 200: { description: 'What was reverted and what was left alone', schema: runRevertResultSchema } },
  errors: [400, 404, 409, 413],
})

const retrieveRow = defineRoute({
  method: 'get',
  path: '/v1/models/{model}/{id}',
  operationId: 'retrieveRow',
  summary: 'One row',
  tags: ['rows'],
  auth: 'bearer',
  params: z.object({ model: z.string(), id: z.string() }),
  query: z.object({
    ifClaimed: z.enum(['return', 'wait', 'fail']).optional().describe('While a claim is held: answer at once, wait for the release, or 409'),
    timeoutMs: decimalIntParam().pipe(z.number().int().positive().max(300_000)).optional(),
  }),
  responses: { 200: { description: 'The row' } },
  errors: [400, 404, 408, 409],
  perModel: {
    operationId: (model) => `retrieve${pascal(model)}`,
    summary: (model) => `One ${model} row`,
    response: (schema, model) => modelWire(schema, model).row,
  },
})

const listRows = defineRoute({
  method: 'get',
  path: '/v1/models/{model}',
  operationId: 'listRows',
  summary: 'A page of rows',
  tags: ['rows'],
  auth: 'bearer',
  params: z.object({ model: z.string() }),
  query: z.object({
    where: z.string().max(16_384).optional().describe('JSON: `{"status":"todo"}`, `{"status":["todo","doing"]}`, `{"title":{"gte":"M"}}`'),
    orderBy: z.string().max(4096).optional().describe('JSON: `{"createdAt":"desc"}` or `[{"status":"asc"},{"title":"asc"}]`'),
    limit: decimalIntParam().pipe(z.number().int().min(1).max(1000)).optional().describe('1–1000, default 100'),
    cursor: z.string().max(2048).optional().describe('`nextCursor` of the previous page'),
  }),
  responses: { 200: { description: 'A page of rows' } },
  errors: [400],
  perModel: {
    operationId: (model) => `list${pascal(model)}`,
    summary: (model) => `A page of ${model} rows`,
    response: (schema, model) =>
      z.object({ object: z.literal('list'), data: z.array(modelWire(schema, model).row), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  },
})

const bootstrap = defineRoute({
  method: 'get',
  path: '/v1/bootstrap',
  operationId: 'getBootstrap',
  summary: 'Every row you may see, and the syncId they are consistent with',
  tags: ['changes'],
  auth: 'bearer',
  responses: {
    200: {
      description: 'Rows by model',
      schema: (schema) =>
        bootstrapBodySchema.extend({ rows: z.object(Object.fromEntries(schema.modelNames.map((m) => [m, z.array(modelWire(schema, m).row)]))).partial() }),
    },
  },
  errors: [],
})

const changes = defineRoute({
  method: 'get',
  path: '/v1/changes',
  operationId: 'listChanges',
  summary: 'The change log after a syncId (long-poll with `wait`)',
  description:
    'With `presence` (a version from `GET /v1/presence`), the long-poll also answers when presence changes: one parked request per client carries both. Fetch `GET /v1/presence` when `presenceVersion` differs from yours.',
  tags: ['changes'],
  auth: 'bearer',
  query: z.object({
    after: decimalIntParam().default(0).describe('Entries with a syncId greater than this'),
    wait: decimalNumberParam()
      .pipe(z.number().max(maxWaitSeconds))
      .default(0)
      .describe(`Seconds to hold the request while nothing is new (0–${maxWaitSeconds})`),
    limit: limitParam(500),
    presence: decimalIntParam()
      .optional()
      .describe('A presence `version` seen before: the wait also ends when presence changes after it, and the page carries `presenceVersion`'),
    connectionId: z.string().max(128).optional().describe('The caller’s HTTP participant, kept alive by this poll (an id it does not own is ignored)'),
  }),
  responses: {
    200: {
      description: 'A page of the log; pass `cursor` as the next `after`',
      schema: (schema) => changesPageSchema.extend({ data: z.array(logEntrySchema.extend({ changes: z.array(changeUnion(schema)) })) }),
    },
  },
  errors: [400],
})

const audit = defineRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAudit',
  summary: 'One row’s history: who changed or claimed it',
  tags: ['changes'],
  auth: 'bearer',
  query: z.object({ model: z.string(), id: z.string(), limit: limitParam(100) }),
  responses: { 200: { description: 'The newest `limit` items, oldest first', schema: auditPageSchema } },
  errors: [400],
})

const acquireClaim = defineRoute({
  method: 'post',
  path: '/v1/claims',
  operationId: 'acquireClaim',
  summary: 'Claim a row or a field (waits in line)',
  description: 'Held open while the claim waits; answers when it is granted, with the fencing token and the row re-read at the grant.',
  tags: ['claims'],
  auth: 'bearer',
  body: claimRequestSchema,
  bodyLabel: 'claim request',
  responses: { 200: { description: 'The granted claim', schema: claimAnswerSchema } },
  errors: [400, 404, 408, 409],
})

const claimsOnRow = defineRoute({
  method: 'get',
  path: '/v1/claims',
  operationId: 'getRowClaims',
  summary: 'A row’s holder and waiting line',
  tags: ['claims'],
  auth: 'bearer',
  query: z.object({ model: z.string(), id: z.string(), field: z.string().optional() }),
  responses: { 200: { description: 'Holder and line', schema: rowClaimsSchema } },
  errors: [400, 404],
})

const activeClaims = defineRoute({
  method: 'get',
  path: '/v1/claims/active',
  operationId: 'listActiveClaims',
  summary: 'Every row that has claims',
  tags: ['claims'],
  auth: 'bearer',
  responses: { 200: { description: 'Rows with claims', schema: activeClaimsSchema } },
  errors: [],
})

const reorderClaims = defineRoute({
  method: 'post',
  path: '/v1/claims/reorder',
  operationId: 'reorderClaims',
  summary: 'Reorder the waiting line (a holder, or a secret key)',
  tags: ['claims'],
  auth: 'bearer',
  body: claimReorderParamsSchema,
  bodyLabel: 'reorder request',
  responses: { 200: { description: 'The line after the reorder', schema: claimQueueSchema } },
  errors: [400, 403, 404],
})

const heartbeatClaim = defineRoute({
  method: 'post',
  path: '/v1/claims/{claimId}/heartbeat',
  operationId: 'heartbeatClaim',
  summary: 'Renew a claim’s lease',
  tags: ['claims'],
  auth: 'bearer',
  params: claimReleaseParamsSchema,
  responses: { 200: { description: 'The claim with its new `expiresAt`', schema: claimStateSchema } },
  errors: [400, 409],
})

const releaseClaim = defineRoute({
  method: 'delete',
  path: '/v1/claims/{claimId}',
  operationId: 'releaseClaim',
  summary: 'Release a claim, or leave the line',
  tags: ['claims'],
  auth: 'bearer',
  params: claimReleaseParamsSchema,
  responses: { 200: { description: 'The final state (`released`, or `canceled` for a waiter)', schema: claimStateSchema } },
  errors: [400, 409],
})

const listPresence = defineRoute({
  method: 'get',
  path: '/v1/presence',
  operationId: 'listPresence',
  summary: 'Who is connected and what they look at (long-poll with `after` and `wait`)',
  description:
    'Entries whose sync groups meet the caller’s; an intent on a row the caller cannot see reads `null`. Naming an HTTP participant the caller owns in `connectionId` keeps it alive (404 once it expired: `PUT` again).',
  tags: ['presence'],
  auth: 'bearer',
  query: z.object({
    connectionId: z.string().max(128).optional().describe('The caller’s HTTP participant, refreshed by this poll'),
    after: decimalIntParam().optional().describe('A `version` seen before: wait until presence changes after it'),
    wait: decimalNumberParam()
      .pipe(z.number().max(maxWaitSeconds))
      .default(0)
      .describe(`Seconds to hold the request while nothing changed (0–${maxWaitSeconds})`),
  }),
  responses: { 200: { description: 'The visible entries, oldest connection first', schema: presenceListSchema } },
  errors: [400, 404],
})

const putPresence = defineRoute({
  method: 'put',
  path: '/v1/presence',
  operationId: 'putPresence',
  summary: 'Register or refresh an HTTP participant and set its intent',
  description: 'Without a `connectionId` (or with one that expired), a new entry is made: keep the returned id and refresh it within `ttlMs`.',
  tags: ['presence'],
  auth: 'bearer',
  body: presencePutBodySchema,
  bodyLabel: 'presence',
  responses: { 200: { description: 'The entry and how long it lives without a refresh', schema: presencePutResultSchema } },
  errors: [400, 404],
})

const deletePresence = defineRoute({
  method: 'delete',
  path: '/v1/presence/{connectionId}',
  operationId: 'deletePresence',
  summary: 'Leave: remove an HTTP participant at once',
  tags: ['presence'],
  auth: 'bearer',
  params: z.object({ connectionId: z.string().max(128) }),
  responses: { 200: { description: 'Removed', schema: presenceDeletedSchema } },
  errors: [400, 404],
})

const createSession = defineRoute({
  method: 'post',
  path: '/v1/sessions',
  operationId: 'createSession',
  summary: 'Mint a session token (secret key only)',
  tags: ['sessions'],
  auth: 'secret',
  body: sessionRequestSchema,
  bodyLabel: 'session request',
  responses: { 201: { description: 'The token', schema: mintedSessionSchema } },
  errors: [400, 413],
})

const revokeSession = defineRoute({
  method: 'delete',
  path: '/v1/sessions/{id}',
  operationId: 'revokeSession',
  summary: 'Revoke a session token (secret key only)',
  tags: ['sessions'],
  auth: 'secret',
  params: z.object({ id: z.string().max(128) }),
  responses: { 200: { description: 'Revoked (also for an id never issued)', schema: revokedSessionSchema } },
  errors: [400],
})

/** The built-in routes, by name: `apiRoutes.createCommit`. */
export const apiRoutes = {
  health,
  metrics,
  openapi,
  createCommit: commit,
  createCommitBatch: commitBatch,
  retrieveRow,
  listRows,
  bootstrap,
  changes,
  audit,
  acquireClaim,
  claimsOnRow,
  activeClaims,
  reorderClaims,
  heartbeatClaim,
  releaseClaim,
  listPresence,
  putPresence,
  deletePresence,
  createSession,
  revokeSession,
  listRunChanges,
  revertRun,
} satisfies Record<string, ApiRoute>

/** The built-in tags, in document order. */
export const apiTags: Readonly<Record<string, string>> = {
  rows: 'Commit, retrieve and list rows of the schema’s models',
  changes: 'The change log: bootstrap, long-poll, audit',
  claims: 'Fair (FIFO) leases on a row or a field',
  presence: 'Who is connected and what they look at (ephemeral, never in the log)',
  sessions: 'Session tokens (`ek_…`) minted from a secret key',
  runs: 'An agent’s task as a run: its changes, and reverting them',
  meta: 'About the API itself',
  health: 'Liveness and metrics, without credentials',
}
