/** @module `/v1/webhook_endpoints` routes: secret key only, bodies parsed by the endpoint service. */
import { parseJson, requireSecretKey, type PluginContext } from '@tandem/core/server'
import type { WebhookEndpoints } from './endpoint-service.ts'

const body = async (text: string): Promise<unknown> => (text.trim() === '' ? {} : parseJson(text))

/** `changed(id)` starts, wakes or stops that endpoint's worker. */
export function webhookRoutes(routes: PluginContext['routes'], endpoints: WebhookEndpoints, changed: (id: string) => void): void {
  routes.use('/webhook_endpoints', requireSecretKey)
  routes.use('/webhook_endpoints/*', requireSecretKey)

  routes.post('/webhook_endpoints', async (c) => {
    const created = await endpoints.create(await body(await c.req.text()))
    changed(created.id)
    return c.json(created, 201)
  })
  routes.get('/webhook_endpoints', async (c) => c.json({ object: 'list', data: await endpoints.list(), hasMore: false, nextCursor: null }))
  routes.get('/webhook_endpoints/:id', async (c) => c.json(await endpoints.get(c.req.param('id'))))
  routes.patch('/webhook_endpoints/:id', async (c) => {
    const updated = await endpoints.update(c.req.param('id'), await body(await c.req.text()))
    changed(updated.id)
    return c.json(updated)
  })
  routes.delete('/webhook_endpoints/:id', async (c) => {
    const deleted = await endpoints.remove(c.req.param('id'))
    changed(deleted.id)
    return c.json(deleted)
  })
  routes.post('/webhook_endpoints/:id/roll_secret', async (c) => c.json(await endpoints.roll(c.req.param('id'), await body(await c.req.text()))))
  routes.get('/webhook_endpoints/:id/deliveries', async (c) => c.json(await endpoints.deliveries(c.req.param('id'), c.req.query())))
}
