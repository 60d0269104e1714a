/** @module The OpenAPI 3.1 document of the HTTP API, generated from the schema (`GET /v1/openapi.json`, `tandem schema openapi`). */
import { z } from 'zod'
import type { Schema } from './model.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } })
const errors = { '4XX': json(ref('Error'), 'Error envelope'), '5XX': json(ref('Error'), 'Error envelope') }
const system = {
  id: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  syncId: { type: 'integer', description: 'Log position of the row’s last change' },
}

export function openApiDocument(schema: Schema, serverUrl?: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['type', 'code', 'message'],
          properties: {
            type: { type: 'string' },
            code: { type: 'string' },
            message: { type: 'string' },
            param: { type: 'string' },
            details: { type: 'object' },
          },
        },
      },
    },
    Commit: {
      type: 'object',
      required: ['object', 'syncId', 'stale', 'rows'],
      properties: {
        object: { const: 'commit' },
        syncId: { type: 'integer' },
        stale: { type: 'boolean' },
        rows: { type: 'array', items: { type: ['object', 'null'] } },
      },
    },
  }
  const paths: Record<string, unknown> = {
    '/v1/commits': {
      post: {
        summary: 'Commit operations atomically',
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } }],
        requestBody: json({
          type: 'object',
          required: ['operations'],
          properties: {
            operations: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['op', 'model'],
                properties: {
                  op: { enum: ['create', 'update', 'delete'] },
                  model: { enum: [...schema.modelNames] },
                  id: { type: 'string' },
                  data: { type: 'object' },
                  readAt: { type: 'integer' },
                  onStale: { enum: ['reject', 'force', 'flag'] },
                },
              },
            },
            claimToken: { type: 'string' },
          },
        }),
        responses: { 200: json(ref('Commit')), ...errors },
      },
    },
    '/v1/changes': {
      get: {
        summary: 'Read the change log after a syncId (long-poll with wait)',
        parameters: ['after', 'wait', 'limit'].map((name) => ({ name, in: 'query', schema: { type: 'number' } })),
        responses: { 200: json({ type: 'object' }), ...errors },
      },
    },
  }
  for (const name of schema.modelNames) {
    const model = schema.models[name]!
    const Name = name[0]!.toUpperCase() + name.slice(1)
    const fields = z.toJSONSchema(model.object, { io: 'output', unrepresentable: 'any' }) as { properties?: object; required?: string[] }
    schemas[Name] = { type: 'object', properties: { ...system, ...fields.properties }, required: [...Object.keys(system), ...(fields.required ?? [])] }
    schemas[`${Name}Create`] = z.toJSONSchema(model.object, { io: 'input', unrepresentable: 'any' })
    const list = {
      type: 'object',
      properties: {
        object: { const: 'list' },
        data: { type: 'array', items: ref(Name) },
        hasMore: { type: 'boolean' },
        nextCursor: { type: ['string', 'null'] },
      },
    }
    paths[`/v1/models/${name}`] = {
      get: {
        summary: `List ${name}`,
        parameters: ['where', 'orderBy', 'limit', 'cursor'].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } })),
        responses: { 200: json(list), ...errors },
      },
    }
    paths[`/v1/models/${name}/{id}`] = {
      get: {
        summary: `Retrieve one ${name} row`,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'ifClaimed', in: 'query', schema: { enum: ['return', 'wait', 'fail'] } },
        ],
        responses: { 200: json(ref(Name)), ...errors },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tandem API', version: '1' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas },
    paths,
  }
}
