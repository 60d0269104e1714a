/** @module The webhooks plugin's HTTP API as data: the endpoint routes and the signed delivery it POSTs (OpenAPI `webhooks`). */
import { actorSchema, defineRoute, type ApiContribution } from '@tandem/core/protocol'
import { z } from '@tandem/core/schema'
import { createEndpointBody, deliveriesQuery, rollSecretBody, updateEndpointBody } from './endpoint.ts'

const idParams = z.object({ id: z.string().max(128) })

/** An endpoint as the API shows it; `secret` only right after creation and roll. */
export const publicEndpointSchema = z.object({
  object: z.literal('webhook_endpoint'),
  id: z.string(),
  url: z.string(),
  description: z.string(),
  enabledEvents: z.array(z.string()),
  status: z.enum(['enabled', 'disabled']),
  disabledReason: z.enum(['manual', 'failing']).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  cursor: z.number().int().nonnegative().describe('Every entry with syncId ≤ cursor was delivered (or filtered out)'),
  failures: z.number().int().nonnegative(),
  nextAttemptAt: z.iso.datetime().nullable(),
  secret: z.string().optional().describe('`whsec_…`, shown once: on creation and roll'),
})

const deliverySchema = z.object({
  object: z.literal('webhook_delivery'),
  id: z.string(),
  messageId: z.string().describe('The `webhook-id` header: the same on every retry of one batch'),
  attemptedAt: z.iso.datetime(),
  attempt: z.number().int().positive(),
  ok: z.boolean(),
  status: z.number().int().nullable(),
  latencyMs: z.number(),
  error: z.string().nullable(),
  eventCount: z.number().int(),
  firstSyncId: z.number().int(),
  lastSyncId: z.number().int(),
})

const list = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), hasMore: z.boolean(), nextCursor: z.string().nullable() })

/** One event of a delivery (spec §8). */
export const webhookEventSchema = z.object({
  id: z.string().describe('`evt_<syncId>_<index>`: stable across retries'),
  type: z.string().describe('`<model>.created|updated|deleted` or `<model>.claim.<granted|released|expired|queued|canceled>`'),
  model: z.string(),
  objectId: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  previous: z.record(z.string(), z.unknown()).nullable(),
  syncId: z.number().int().positive(),
  actor: actorSchema,
  stale: z.boolean(),
  createdAt: z.iso.datetime(),
})

const tags = ['webhooks']
const common = { tags, auth: 'secret', errors: [400, 404] } as const

const createEndpoint = defineRoute({
  ...common,
  method: 'post',
  path: '/v1/webhook_endpoints',
  operationId: 'createWebhookEndpoint',
  summary: 'Create a webhook endpoint (its secret is shown once)',
  body: createEndpointBody,
  bodyLabel: 'webhook endpoint',
  emptyBody: true,
  responses: { 201: { description: 'The endpoint, with `secret`', schema: publicEndpointSchema } },
  errors: [400, 413],
})
const listEndpoints = defineRoute({
  ...common,
  method: 'get',
  path: '/v1/webhook_endpoints',
  operationId: 'listWebhookEndpoints',
  summary: 'Every webhook endpoint',
  responses: { 200: { description: 'The endpoints', schema: list(publicEndpointSchema) } },
  errors: [],
})
const getEndpoint = defineRoute({
  ...common,
  method: 'get',
  path: '/v1/webhook_endpoints/{id}',
  operationId: 'getWebhookEndpoint',
  summary: 'One webhook endpoint',
  params: idParams,
  responses: { 200: { description: 'The endpoint', schema: publicEndpointSchema } },
})
const updateEndpoint = defineRoute({
  ...common,
  method: 'patch',
  path: '/v1/webhook_endpoints/{id}',
  operationId: 'updateWebhookEndpoint',
  summary: 'Change, enable or disable a webhook endpoint',
  params: idParams,
  body: updateEndpointBody,
  bodyLabel: 'webhook endpoint update',
  emptyBody: true,
  responses: { 200: { description: 'The endpoint', schema: publicEndpointSchema } },
  errors: [400, 404, 413],
})
const deleteEndpoint = defineRoute({
  ...common,
  method: 'delete',
  path: '/v1/webhook_endpoints/{id}',
  operationId: 'deleteWebhookEndpoint',
  summary: 'Delete a webhook endpoint',
  params: idParams,
  responses: { 200: { description: 'The deleted endpoint', schema: publicEndpointSchema } },
})
const rollSecret = defineRoute({
  ...common,
  method: 'post',
  path: '/v1/webhook_endpoints/{id}/roll_secret',
  operationId: 'rollWebhookSecret',
  summary: 'Roll the signing secret (the old one keeps signing for `expiresInSeconds`)',
  params: idParams,
  body: rollSecretBody,
  bodyLabel: 'secret roll',
  emptyBody: true,
  responses: { 200: { description: 'The endpoint, with the new `secret`', schema: publicEndpointSchema } },
  errors: [400, 404, 413],
})
const listDeliveries = defineRoute({
  ...common,
  method: 'get',
  path: '/v1/webhook_endpoints/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'The newest delivery attempts of an endpoint',
  params: idParams,
  query: deliveriesQuery,
  responses: { 200: { description: 'Attempts, newest first', schema: list(deliverySchema) } },
})

/** The routes by name, for the handlers. */
export const endpointRoutes = { createEndpoint, listEndpoints, getEndpoint, updateEndpoint, deleteEndpoint, rollSecret, listDeliveries }

/** What the plugin adds to the API and its OpenAPI document. */
export const webhooksApi: ApiContribution = {
  routes: Object.values(endpointRoutes),
  tags: { webhooks: 'Webhook endpoints and the signed deliveries they receive (the `webhooks()` plugin)' },
  webhooks: [
    {
      name: 'changes',
      operationId: 'receiveChanges',
      summary: 'A batch of events, in log order, signed with Standard Webhooks',
      description:
        'Answer 2xx to advance the endpoint’s cursor; anything else is retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then the endpoint is disabled.',
      tags,
      headers: z.object({
        'webhook-id': z.string().describe('The batch id, the same on every retry'),
        'webhook-timestamp': z.string().describe('Unix seconds'),
        'webhook-signature': z.string().describe('`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated while a rolled secret still signs'),
      }),
      body: z.object({ data: z.array(webhookEventSchema) }),
      responses: { 200: { description: 'Delivered: the cursor advances' } },
    },
  ],
}
