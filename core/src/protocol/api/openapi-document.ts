/**
 * @module The OpenAPI 3.1 document of the HTTP API, generated from the route
 * table and the schema's zod models with zod's own JSON Schema output
 * (`z.toJSONSchema`): request bodies as the client sends them (`io: 'input'`),
 * answers as the server writes them (`io: 'output'`).
 */
import { z } from 'zod'
import { errorCodes, errorTypes } from '../../errors/codes.ts'
import type { Schema } from '../../schema/model.ts'
import { claimStateSchema } from '../claims.ts'
import { participantKindSchema } from '../participant.ts'
import { resolveSchema, type ApiContribution, type ApiResponse, type ApiRoute, type ApiWebhook } from './api-route.ts'
import { modelWire, pascal } from './model-schemas.ts'
import { apiRoutes, apiTags } from './routes.ts'

export interface OpenApiOptions {
  /** `servers[0].url`; default `http://127.0.0.1:7878` (the dev server). */
  serverUrl?: string
  /** Routes, webhooks and tags of server plugins (each plugin's `api`). */
  extensions?: readonly ApiContribution[]
}

type Json = Record<string, unknown>
type Meta = { id: string }

/** The error envelope, with every code and class the server can answer. */
const errorSchema = z.object({
  error: z.object({
    type: z.enum(errorTypes).describe('The error class the TypeScript client throws'),
    code: z.enum(Object.keys(errorCodes) as [string, ...string[]]).describe('What to branch on'),
    message: z.string(),
    param: z.string().optional().describe('The input at fault, e.g. `operations[0].title`'),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request or data',
  401: 'Missing, unknown or expired credentials',
  403: 'These credentials may not do this',
  404: 'Not found (or not visible to these credentials)',
  408: 'Not granted in time',
  409: 'Conflict: claimed, stale, reused idempotency key, existing id',
  413: 'Body larger than the limit',
  429: 'Rate limited (see `Retry-After`)',
  500: 'Internal error (the details are in the server log under the request id)',
}

const participantHeaders = {
  TandemParticipantKind: {
    name: 'Tandem-Participant-Kind',
    in: 'header',
    description: 'With a secret key: who is acting, recorded as the actor of the log entries (default `agent`)',
    schema: { type: 'string', enum: participantKindSchema.options },
  },
  TandemParticipantName: {
    name: 'Tandem-Participant-Name',
    in: 'header',
    description: 'A display name (≤ 200 characters), read together with `Tandem-Participant-Kind`',
    schema: { type: 'string', maxLength: 200 },
  },
}

/** zod's JSON Schema of one parameter (answers' side: `limit` is an integer, whatever the query string spells). */
function parameterSchema(field: z.ZodType): { schema: Json; description?: string } {
  const { description, ...schema } = tidy(z.toJSONSchema(field, { io: 'output', unrepresentable: 'any' })) as Json & { description?: string }
  return description === undefined ? { schema } : { schema, description }
}

function parameters(where: 'path' | 'query' | 'header', object: z.ZodObject | undefined, skip: readonly string[] = []): Json[] {
  if (!object) return []
  return Object.entries(object.shape)
    .filter(([name]) => !skip.includes(name))
    .map(([name, field]) => {
      const required = where === 'path' || !(field as z.ZodType).safeParse(undefined).success
      return { name: where === 'header' ? headerName(name) : name, in: where, required, ...parameterSchema(field as z.ZodType) }
    })
}

const headerName = (lower: string) => lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())

/** Drop what zod adds for standalone documents (`$schema`, `$id`) and the safe-integer bounds of every `.int()`. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy)
  if (value === null || typeof value !== 'object') return value
  const out: Json = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === '$schema' || k === '$id') continue
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue
    out[k] = tidy(v)
  }
  return out
}

/**
 * The OpenAPI 3.1 document for `schema`: every built-in route, the routes and
 * webhooks of `extensions`, typed per model.
 * @example
 * const doc = openApiDocument(schema, { serverUrl: 'https://sync.example.com' })
 */
export function openApiDocument(schema: Schema, options: OpenApiOptions = {}): Json {
  const extensions = options.extensions ?? []
  const routes: ApiRoute[] = [...Object.values(apiRoutes), ...extensions.flatMap((e) => e.routes)]
  const webhooks: ApiWebhook[] = extensions.flatMap((e) => e.webhooks ?? [])
  const input = z.registry<Meta>()
  const output = z.registry<Meta>()
  output.add(errorSchema, { id: 'Error' })
  output.add(claimStateSchema, { id: 'ClaimState' })
  for (const name of schema.modelNames) {
    const wire = modelWire(schema, name)
    output.add(wire.row, { id: pascal(name) })
    input.add(wire.create, { id: `${pascal(name)}Create` })
    input.add(wire.update, { id: `${pascal(name)}Update` })
  }
  const ref = (registry: typeof input, s: z.ZodType, id: string) => {
    if (!registry.has(s)) registry.add(s, { id })
    return { $ref: `#/components/schemas/${registry.get(s)!.id}` }
  }
  const usedErrors = new Set<number>()
  const usedTags = new Set<string>()

  const content = (r: ApiResponse, s: z.ZodType | undefined, id: string) => {
    if (!s) return { description: r.description }
    const type = r.contentType ?? 'application/json'
    const body = type === 'application/json' ? ref(output, s, id) : tidy(z.toJSONSchema(s))
    return { description: r.description, content: { [type]: { schema: body } } }
  }

  function operation(route: ApiRoute, model?: string): Json {
    const operationId = model ? route.perModel!.operationId(model) : route.operationId
    const Id = pascal(operationId)
    for (const t of route.tags) usedTags.add(t)
    const responses: Json = {}
    for (const [status, r] of Object.entries(route.responses)) {
      const s = model ? route.perModel!.response(schema, model) : r.schema && resolveSchema(r.schema, schema)
      responses[status] = content(r, s, `${Id}Response`)
    }
    const errors = new Set([...route.errors, ...(route.auth === 'none' ? [] : [401, 429]), ...(route.auth === 'secret' ? [403] : []), 500])
    for (const status of [...errors].sort()) {
      usedErrors.add(status)
      responses[status] = { $ref: `#/components/responses/Error${status}` }
    }
    const body = route.documentedBody?.(schema) ?? route.body
    return {
      operationId,
      summary: model ? route.perModel!.summary(model) : route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [...route.tags],
      ...(route.auth === 'none' ? { security: [] } : route.auth === 'secret' ? { security: [{ secretKey: [] }] } : {}),
      parameters: [
        ...parameters('path', route.params, model ? ['model'] : []),
        ...parameters('query', route.query),
        ...parameters('header', route.headers),
        ...(route.auth === 'none' ? [] : Object.keys(participantHeaders).map((name) => ({ $ref: `#/components/parameters/${name}` }))),
      ],
      ...(body ? { requestBody: { required: !route.emptyBody, content: { 'application/json': { schema: ref(input, body, `${Id}Request`) } } } } : {}),
      responses,
    }
  }

  const paths: Record<string, Json> = {}
  const add = (path: string, method: string, op: Json) => {
    const item = (paths[path] ??= {})
    if (item[method]) throw new TypeError(`Two routes for ${method.toUpperCase()} ${path}`)
    item[method] = op
  }
  for (const route of routes) {
    if (route.perModel) for (const model of schema.modelNames) add(route.path.replace('{model}', model), route.method, operation(route, model))
    else add(route.path, route.method, operation(route))
  }

  const webhookItems: Record<string, Json> = {}
  for (const hook of webhooks) {
    for (const t of hook.tags) usedTags.add(t)
    const responses: Json = {}
    for (const [status, r] of Object.entries(hook.responses))
      responses[status] = content(r, r.schema && resolveSchema(r.schema, schema), `${pascal(hook.operationId)}Answer`)
    webhookItems[hook.name] = {
      post: {
        operationId: hook.operationId,
        summary: hook.summary,
        ...(hook.description ? { description: hook.description } : {}),
        tags: [...hook.tags],
        security: [],
        parameters: parameters('header', hook.headers),
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref(output, resolveSchema(hook.body, schema), `${pascal(hook.operationId)}Payload`) } },
        },
        responses,
      },
    }
  }

  const uri = (id: string) => `#/components/schemas/${id}`
  const outputs = z.toJSONSchema(output, { io: 'output', uri, unrepresentable: 'any' }).schemas
  const inputs = z.toJSONSchema(input, { io: 'input', uri, unrepresentable: 'any' }).schemas
  for (const id of Object.keys(inputs)) if (id in outputs) throw new TypeError(`Component "${id}" is both a request and an answer schema`)
  const tagDescriptions: Record<string, string> = Object.assign({}, apiTags, ...extensions.map((e) => e.tags ?? {}))

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1',
      description:
        'The HTTP API of a Tandem server: commits with validation, idempotency and the stale guard, reads, the change log, claims, sessions. ' +
        'The TypeScript client’s WebSocket (`/v1/sync`, subprotocol `tandem.v1`) is described in docs/transports.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? 'http://127.0.0.1:7878' }],
    security: [{ secretKey: [] }, { sessionToken: [] }],
    tags: Object.keys(tagDescriptions)
      .filter((t) => usedTags.has(t))
      .map((name) => ({ name, description: tagDescriptions[name] })),
    paths,
    ...(Object.keys(webhookItems).length ? { webhooks: webhookItems } : {}),
    components: {
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', bearerFormat: 'sk_…', description: 'A secret key: acts for the whole project (server-side only)' },
        sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'ek_…', description: 'A session token: one user, its sync groups (`POST /v1/sessions`)' },
      },
      parameters: participantHeaders,
      responses: Object.fromEntries(
        [...usedErrors]
          .sort()
          .map((s) => [`Error${s}`, { description: errorDescriptions[s] ?? 'Error', content: { 'application/json': { schema: { $ref: uri('Error') } } } }]),
      ),
      schemas: tidy({ ...outputs, ...inputs }),
    },
  }
}
