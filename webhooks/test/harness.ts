/** @module Test harness: a server with the webhooks plugin, an HTTP helper, receivers cleaned up after each test. */
import { Conditions } from './conditions.ts'
import { createServer, memoryStore, type ServerOptions, type Store } from '@tandem/core/server'
import { webhooks, type DeliveryAttempt, type WebhooksOptions } from '@tandem/webhooks'
import { afterEach } from 'vitest'
import { Receiver } from './receiver.ts'

import { schema } from './harness-schema.ts'

export { schema }

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})
export const defer = (fn: () => Promise<void> | void) => void cleanups.push(fn)

/** A fast schedule for tests: the whole retry schedule in well under a second. */
export const fastSchedule = [0, 10, 20, 20, 20, 20, 20, 20]

/** Every delivery attempt the plugin reports, and a way to await one. */
export class Attempts {
  readonly all: Array<DeliveryAttempt & { endpointId: string }> = []
  private readonly conditions = new Conditions()
  readonly record = (endpointId: string, attempt: DeliveryAttempt) => {
    this.all.push({ ...attempt, endpointId })
    this.conditions.changed()
  }
  of(endpointId: string) {
    return this.all.filter((a) => a.endpointId === endpointId)
  }
  until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    return this.conditions.until(predicate, timeoutMs, () => `attempts: condition not met within ${timeoutMs} ms (${this.all.length} attempts)`)
  }
}

export async function start(options: WebhooksOptions = {}, server: Partial<ServerOptions> & { store?: Store } = {}) {
  const attempts = new Attempts()
  const s = await createServer({
    schema,
    store: memoryStore(),
    port: 0,
    secretKeys: ['sk_test_webhooks'],
    ...server,
    plugins: [webhooks({ allowPrivateUrls: true, retrySchedule: fastSchedule, refreshMs: 200, onAttempt: attempts.record, ...options })],
  })
  defer(() => s.close())
  const http = async (method: string, path: string, body?: unknown, token = s.secretKey) => {
    const res = await fetch(s.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const commit = async (...operations: unknown[]) => {
    const res = await http('POST', '/v1/commits', { operations })
    if (res.status !== 200) throw new Error(`commit failed: ${JSON.stringify(res.body)}`)
    return res.body as { syncId: number; rows: Array<{ id: string; syncId: number }> }
  }
  /** Create an endpoint and a receiver holding its secret. */
  const endpoint = async (body: Record<string, unknown> = {}, receiver?: Receiver) => {
    const r = receiver ?? (await new Receiver().up())
    defer(() => r.down())
    const res = await http('POST', '/v1/webhook_endpoints', { url: r.url, ...body })
    if (res.status !== 201) throw new Error(`endpoint create failed: ${JSON.stringify(res.body)}`)
    r.secrets.push(res.body.secret)
    return { receiver: r, endpoint: res.body as { id: string; secret: string; cursor: number } }
  }
  return { server: s, http, commit, endpoint, attempts }
}
