/** @module `ApiRoute`: one HTTP route as data (method, path, operationId, zod schemas), read by the server to mount it and by the OpenAPI generator. */
import type { z } from 'zod'
import type { Schema } from '../../schema/model.ts'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** Who may call: no credentials, any bearer (secret key or session token), or a secret key only. */
export type RouteAuth = 'none' | 'bearer' | 'secret'

/** A zod schema, or one built from the app's schema (per-model types in the document). */
export type SchemaOf = z.ZodType | ((schema: Schema) => z.ZodType)

export interface ApiResponse {
  readonly description: string
  /** The JSON body (a response schema is documentation: the server does not parse its own answers). */
  readonly schema?: SchemaOf
  /** Default `application/json`. */
  readonly contentType?: string
}

export interface ApiRoute {
  readonly method: HttpMethod
  /** OpenAPI path template: `/v1/claims/{claimId}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  /** The first tag groups the route in the document. */
  readonly tags: readonly string[]
  readonly auth: RouteAuth
  /** Path parameters, parsed before the handler runs. */
  readonly params?: z.ZodObject
  /** Query parameters, parsed before the handler runs (a key per parameter). */
  readonly query?: z.ZodObject
  /** Request headers the route reads (names in lower case), documented; the handler parses them. */
  readonly headers?: z.ZodObject
  /** The JSON body, parsed before the handler runs; an empty body reads as `{}` when `emptyBody` is set. */
  readonly body?: z.ZodType
  /** How errors name the body, e.g. `claim request` → `Invalid claim request at "ttl": …`. */
  readonly bodyLabel?: string
  readonly emptyBody?: boolean
  /** The body as documented when it is more precise than what the wire parses (the commit's per-model operations). */
  readonly documentedBody?: (schema: Schema) => z.ZodType
  /** Success answers by status. */
  readonly responses: Readonly<Record<number, ApiResponse>>
  /** Statuses answered with the error envelope (401 and 429 are added for authenticated routes). */
  readonly errors: readonly number[]
  /**
   * Documented once per model: `{model}` in the path is replaced by each model's name, the
   * operationId and the answer are the model's (`retrieveTasks` answering a `Tasks` row).
   */
  readonly perModel?: {
    readonly operationId: (model: string) => string
    readonly summary: (model: string) => string
    readonly response: (schema: Schema, model: string) => z.ZodType
  }
}

/** An outgoing request the server makes (OpenAPI `webhooks`), e.g. a webhook delivery. */
export interface ApiWebhook {
  readonly name: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tags: readonly string[]
  readonly headers?: z.ZodObject
  readonly body: SchemaOf
  readonly responses: Readonly<Record<number, ApiResponse>>
}

/** Routes, outgoing webhooks and tag descriptions a server plugin adds to the API (and to its OpenAPI document). */
export interface ApiContribution {
  readonly routes: readonly ApiRoute[]
  readonly webhooks?: readonly ApiWebhook[]
  readonly tags?: Readonly<Record<string, string>>
}

/**
 * Declare a route (typed, so the handler's input is inferred from its schemas).
 * @example
 * const ping = defineRoute({ method: 'get', path: '/v1/ping', operationId: 'ping', summary: 'Ping', tags: ['health'], auth: 'bearer',
 *   responses: { 200: { description: 'Pong', schema: z.object({ ok: z.boolean() }) } }, errors: [] })
 */
export function defineRoute<const R extends ApiRoute>(route: R): R {
  return route
}

/** The schema itself, or the one built from the app's schema. */
export const resolveSchema = (s: SchemaOf, schema: Schema): z.ZodType => (typeof s === 'function' ? s(schema) : s)
