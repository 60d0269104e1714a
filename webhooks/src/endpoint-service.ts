/** @module Managing endpoints: create, list, update, delete, roll the secret, read deliveries. Shared by the HTTP routes and the CLI. */
import { TandemNotFoundError, TandemValidationError } from '@tandem/core'
import { parseOrThrow, type Store } from '@tandem/core/server'
import { checkUrl, systemResolver, UrlRefusedError, type Resolver } from './address-guard.ts'
import { createEndpointBody, deliveriesQuery, endpointKind, publicEndpoint, rollSecretBody, updateEndpointBody, type EndpointRecord } from './endpoint.ts'
import { deleteEndpoint, getEndpoint, listAttempts, listEndpoints, updateEndpoint } from './endpoint-store.ts'
import { knownPatterns } from './events.ts'
import { generateSecret } from './signing.ts'

export interface EndpointServiceOptions {
  allowPrivateUrls?: boolean
  resolve?: Resolver
  /** The schema's model names: event types are checked against them when given. */
  models?: readonly string[]
}

const patternShape = /^(\*|[A-Za-z_][\w-]*\.(\*|created|updated|deleted|claim\.(\*|granted|released|expired|queued|canceled)))$/

/**
 * Endpoint management on a store. Every input is parsed with zod; failures are
 * `TandemValidationError` (`invalid_request`, with `param`) or `TandemNotFoundError`.
 * @example
 * const endpoints = webhookEndpoints(store)
 * const { id, secret } = await endpoints.create({ url: 'https://example.com/hooks' })
 */
export function webhookEndpoints(store: Store, options: EndpointServiceOptions = {}) {
  const guard = { allowPrivateUrls: options.allowPrivateUrls ?? false, resolve: options.resolve ?? systemResolver }
  const patterns = options.models ? knownPatterns(options.models) : null

  async function validUrl(url: string): Promise<void> {
    try {
      await checkUrl(url, guard)
    } catch (error) {
      if (error instanceof UrlRefusedError) throw new TandemValidationError({ code: 'invalid_request', message: error.message, param: 'url' })
      throw error
    }
  }
  function validEvents(events: readonly string[]): void {
    const unknown = events.find((e) => (patterns ? !patterns.has(e) : !patternShape.test(e)))
    if (unknown !== undefined)
      throw new TandemValidationError({
        code: 'invalid_request',
        message: `Unknown event type "${unknown}": use *, <model>.*, <model>.created|updated|deleted or <model>.claim.<*|granted|released|expired|queued|canceled>`,
        param: 'enabledEvents',
      })
  }
  const notFound = (id: string) => new TandemNotFoundError({ code: 'not_found', message: `No webhook endpoint ${id}`, param: 'id' })
  async function found(id: string): Promise<EndpointRecord> {
    const endpoint = await getEndpoint(store, id)
    if (!endpoint) throw notFound(id)
    return endpoint
  }

  return {
    /** A new endpoint; its `secret` is in this answer only. It gets the events committed from now on. */
    async create(input: unknown) {
      const body = parseOrThrow(createEndpointBody, input, 'webhook endpoint')
      await validUrl(body.url)
      validEvents(body.enabledEvents)
      const now = new Date().toISOString()
      const secret = generateSecret()
      const endpoint: EndpointRecord = {
        id: `we_${crypto.randomUUID().replaceAll('-', '')}`,
        url: body.url,
        description: body.description,
        enabledEvents: body.enabledEvents,
        status: body.status,
        disabledReason: body.status === 'disabled' ? 'manual' : null,
        createdAt: now,
        updatedAt: now,
        cursor: await store.headSyncId(),
        secrets: [{ secret, expiresAt: null }],
        failures: 0,
        nextAttemptAt: null,
        lease: null,
      }
      await store.putRecord(endpointKind, endpoint.id, endpoint)
      return publicEndpoint(endpoint, secret)
    },

    async list() {
      return (await listEndpoints(store)).map((e) => publicEndpoint(e))
    },

    async get(id: string) {
      return publicEndpoint(await found(id))
    },

    /** Change url, description, enabledEvents or status (`disabled: true|false` works too); re-enabling or a new URL resumes from the cursor with a fresh retry schedule. */
    async update(id: string, input: unknown) {
      const body = parseOrThrow(updateEndpointBody, input, 'webhook endpoint update')
      await found(id)
      if (body.url !== undefined) await validUrl(body.url)
      if (body.enabledEvents !== undefined) validEvents(body.enabledEvents)
      const status = body.status ?? (body.disabled === undefined ? undefined : body.disabled ? 'disabled' : 'enabled')
      const updatedAt = new Date().toISOString()
      const updated = await updateEndpoint(store, id, (e) => {
        if (!e) return null
        const next: EndpointRecord = { ...e, updatedAt }
        // A new URL is tried at once: the retry schedule was about the old one.
        if (body.url !== undefined && body.url !== e.url) Object.assign(next, { url: body.url, failures: 0, nextAttemptAt: null, sending: null })
        if (body.description !== undefined) next.description = body.description
        if (body.enabledEvents !== undefined) next.enabledEvents = body.enabledEvents
        if (status === 'disabled' && e.status === 'enabled') Object.assign(next, { status, disabledReason: 'manual' })
        if (status === 'enabled' && e.status === 'disabled')
          Object.assign(next, { status, disabledReason: null, failures: 0, nextAttemptAt: null, sending: null })
        return next
      })
      if (!updated) throw notFound(id)
      return publicEndpoint(updated)
    },

    /** Delete the endpoint and its delivery history; its cursor no longer holds log entries back. */
    async remove(id: string) {
      await found(id)
      await deleteEndpoint(store, id)
      return { object: 'webhook_endpoint' as const, id, deleted: true as const }
    },

    /** A new secret (in this answer only); earlier ones keep signing beside it for `expiresInSeconds` (default 24 h, 0 = stop now). */
    async roll(id: string, input: unknown = {}) {
      const { expiresInSeconds } = parseOrThrow(rollSecretBody, input, 'secret roll')
      await found(id)
      const now = Date.now()
      const secret = generateSecret()
      const expiresAt = new Date(now + expiresInSeconds * 1000).toISOString()
      const updated = await updateEndpoint(store, id, (e) => {
        if (!e) return null
        // Every earlier secret signs beside the new one until expiresAt at the latest (0 s: none does, e.g. after a leak).
        const kept = e.secrets
          .map((s) => (s.expiresAt === null || s.expiresAt > expiresAt ? { ...s, expiresAt } : s))
          .filter((s) => Date.parse(s.expiresAt!) > now)
        return { ...e, secrets: [{ secret, expiresAt: null }, ...kept], updatedAt: new Date(now).toISOString() }
      })
      if (!updated) throw notFound(id)
      return { ...publicEndpoint(updated, secret), previousSecretExpiresAt: expiresInSeconds > 0 ? expiresAt : null }
    },

    /** The newest attempts first. */
    async deliveries(id: string, query: unknown = {}) {
      const { limit } = parseOrThrow(deliveriesQuery, query, 'query')
      await found(id)
      const attempts = await listAttempts(store, id)
      return { object: 'list' as const, data: attempts.slice(0, limit), hasMore: attempts.length > limit, nextCursor: null }
    },
  }
}

export type WebhookEndpoints = ReturnType<typeof webhookEndpoints>
