/** @module `/v1/webhook_endpoints` routes: secret key only, zod-parsed bodies, typed errors. */
import { TandemNotFoundError, TandemValidationError } from '@tandem/core'
import type { Schema } from '@tandem/core/schema'
import { parseJson, parseOrThrow, requireSecretKey, type PluginContext, type Store } from '@tandem/core/server'
import { checkUrl, UrlRefusedError } from './address-guard.ts'
import { createEndpointBody, deliveriesQuery, endpointKind, publicEndpoint, rollSecretBody, updateEndpointBody, type EndpointRecord } from './endpoint.ts'
import { deleteEndpoint, getEndpoint, listAttempts, listEndpoints, updateEndpoint } from './endpoint-store.ts'
import { knownPatterns } from './events.ts'
import type { ResolvedOptions } from './options.ts'
import { generateSecret } from './signing.ts'

export interface RouteDeps {
  store: Store
  schema: Schema
  options: ResolvedOptions
  /** An endpoint was created, changed or deleted: start, wake or stop its worker. */
  changed(id: string): void
}

async function readBody(text: string): Promise<unknown> {
  return text.trim() === '' ? {} : parseJson(text)
}

export function webhookRoutes(routes: PluginContext['routes'], deps: RouteDeps): void {
  const { store, options } = deps
  const patterns = knownPatterns(deps.schema.modelNames)

  async function validUrl(url: string): Promise<void> {
    try {
      await checkUrl(url, { allowPrivateUrls: options.allowPrivateUrls, resolve: options.resolve })
    } catch (error) {
      if (error instanceof UrlRefusedError) throw new TandemValidationError({ code: 'invalid_request', message: error.message, param: 'url' })
      throw error
    }
  }
  function validEvents(events: readonly string[]): void {
    const unknown = events.find((e) => !patterns.has(e))
    if (unknown !== undefined)
      throw new TandemValidationError({
        code: 'invalid_request',
        message: `Unknown event type "${unknown}": use *, <model>.*, <model>.created|updated|deleted or <model>.claim.<granted|released|expired|queued|canceled>`,
        param: 'enabledEvents',
      })
  }
  async function found(id: string): Promise<EndpointRecord> {
    const endpoint = await getEndpoint(store, id)
    if (!endpoint) throw new TandemNotFoundError({ code: 'not_found', message: `No webhook endpoint ${id}`, param: 'id' })
    return endpoint
  }

  routes.use('/webhook_endpoints', requireSecretKey)
  routes.use('/webhook_endpoints/*', requireSecretKey)

  routes.post('/webhook_endpoints', async (c) => {
    const body = parseOrThrow(createEndpointBody, await readBody(await c.req.text()), 'webhook endpoint')
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
      // Events from now on: what was committed before the endpoint existed is not sent.
      cursor: await store.headSyncId(),
      secrets: [{ secret, expiresAt: null }],
      failures: 0,
      nextAttemptAt: null,
      lease: null,
    }
    await store.putRecord(endpointKind, endpoint.id, endpoint)
    deps.changed(endpoint.id)
    return c.json(publicEndpoint(endpoint, secret), 201)
  })

  routes.get('/webhook_endpoints', async (c) => {
    const data = (await listEndpoints(store)).map((e) => publicEndpoint(e))
    return c.json({ object: 'list', data, hasMore: false, nextCursor: null })
  })

  routes.get('/webhook_endpoints/:id', async (c) => c.json(publicEndpoint(await found(c.req.param('id')))))

  routes.patch('/webhook_endpoints/:id', async (c) => {
    const id = c.req.param('id')
    const body = parseOrThrow(updateEndpointBody, await readBody(await c.req.text()), 'webhook endpoint update')
    await found(id)
    if (body.url !== undefined) await validUrl(body.url)
    if (body.enabledEvents !== undefined) validEvents(body.enabledEvents)
    const status = body.status ?? (body.disabled === undefined ? undefined : body.disabled ? 'disabled' : 'enabled')
    const updatedAt = new Date().toISOString()
    const updated = await updateEndpoint(store, id, (e) => {
      if (!e) return null
      const next: EndpointRecord = { ...e, updatedAt }
      if (body.url !== undefined) next.url = body.url
      if (body.description !== undefined) next.description = body.description
      if (body.enabledEvents !== undefined) next.enabledEvents = body.enabledEvents
      if (status === 'disabled' && e.status === 'enabled') Object.assign(next, { status, disabledReason: 'manual' })
      // Re-enabling starts a fresh retry schedule from the same cursor.
      if (status === 'enabled' && e.status === 'disabled') Object.assign(next, { status, disabledReason: null, failures: 0, nextAttemptAt: null })
      return next
    })
    if (!updated) throw new TandemNotFoundError({ code: 'not_found', message: `No webhook endpoint ${id}`, param: 'id' })
    deps.changed(id)
    return c.json(publicEndpoint(updated))
  })

  routes.delete('/webhook_endpoints/:id', async (c) => {
    const id = c.req.param('id')
    await found(id)
    await deleteEndpoint(store, id)
    deps.changed(id)
    return c.json({ object: 'webhook_endpoint', id, deleted: true })
  })

  routes.post('/webhook_endpoints/:id/roll_secret', async (c) => {
    const id = c.req.param('id')
    const { expiresInSeconds } = parseOrThrow(rollSecretBody, await readBody(await c.req.text()), 'secret roll')
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
    if (!updated) throw new TandemNotFoundError({ code: 'not_found', message: `No webhook endpoint ${id}`, param: 'id' })
    return c.json({ ...publicEndpoint(updated, secret), previousSecretExpiresAt: expiresInSeconds > 0 ? expiresAt : null })
  })

  routes.get('/webhook_endpoints/:id/deliveries', async (c) => {
    const id = c.req.param('id')
    const { limit } = parseOrThrow(deliveriesQuery, c.req.query(), 'query')
    await found(id)
    const attempts = await listAttempts(store, id)
    return c.json({ object: 'list', data: attempts.slice(0, limit), hasMore: attempts.length > limit, nextCursor: null })
  })
}
