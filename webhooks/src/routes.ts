/** @module `/v1/webhook_endpoints` handlers, mounted from the plugin's route table (secret key only; bodies parsed from the table's schemas). */
import type { PluginContext } from '@tandem/core/server'
import { endpointRoutes as r } from './api.ts'
import type { WebhookEndpoints } from './endpoint-service.ts'

/** `changed(id)` starts, wakes or stops that endpoint's worker. */
export function webhookRoutes(ctx: Pick<PluginContext, 'handle'>, endpoints: WebhookEndpoints, changed: (id: string) => void): void {
  ctx.handle(r.createEndpoint, async (c, { body }) => {
    const created = await endpoints.create(body)
    changed(created.id)
    return c.json(created, 201)
  })
  ctx.handle(r.listEndpoints, async (c) => c.json({ object: 'list', data: await endpoints.list(), hasMore: false, nextCursor: null }))
  ctx.handle(r.getEndpoint, async (c, { params }) => c.json(await endpoints.get(params.id)))
  ctx.handle(r.updateEndpoint, async (c, { params, body }) => {
    const updated = await endpoints.update(params.id, body)
    changed(updated.id)
    return c.json(updated)
  })
  ctx.handle(r.deleteEndpoint, async (c, { params }) => {
    const deleted = await endpoints.remove(params.id)
    changed(deleted.id)
    return c.json(deleted)
  })
  ctx.handle(r.rollSecret, async (c, { params, body }) => c.json(await endpoints.roll(params.id, body)))
  ctx.handle(r.listDeliveries, async (c, { params, query }) => c.json(await endpoints.deliveries(params.id, query)))
}
