/** @module `webhooks(options)`: the server plugin that mounts the endpoint API and runs one delivery worker per endpoint. */
import type { ServerPlugin, Store } from '@tandem/core/server'
import { systemResolver } from './address-guard.ts'
import { webhookEndpoints } from './endpoint-service.ts'
import { listEndpoints } from './endpoint-store.ts'
import { defaultRetrySchedule, type ResolvedOptions, type WebhooksOptions } from './options.ts'
import { webhookRoutes } from './routes.ts'
import { webhooksApi } from './api.ts'
import { watchBacklog } from './backlog-metric.ts'
import { EndpointWorker, type WorkerDeps } from './worker.ts'

function resolveOptions(o: WebhooksOptions): ResolvedOptions {
  const schedule = o.retrySchedule ?? defaultRetrySchedule
  if (!schedule.every((ms) => Number.isFinite(ms) && ms >= 0)) throw new RangeError('webhooks({ retrySchedule }) takes delays in ms, each ≥ 0')
  const timeoutMs = o.timeoutMs ?? 10_000
  const leaseMs = o.leaseMs ?? 10_000
  // Renewed every third of it, also while an attempt is under way: a lease this short still leaves renewals room to land.
  if (!(leaseMs >= 300)) throw new RangeError(`webhooks({ leaseMs }) must be at least 300 (got ${leaseMs})`)
  return {
    allowPrivateUrls: o.allowPrivateUrls ?? false,
    timeoutMs,
    maxBatchEvents: o.maxBatchEvents ?? 100,
    maxBatchBytes: o.maxBatchBytes ?? 256 * 1024,
    deliveryHistory: o.deliveryHistory ?? 100,
    refreshMs: o.refreshMs ?? 1000,
    leaseMs,
    retrySchedule: schedule,
    resolve: o.resolve ?? systemResolver,
    onAttempt: o.onAttempt,
  }
}

/**
 * Signed webhooks (spec §8) as a server plugin: `/v1/webhook_endpoints` routes and
 * one delivery worker per endpoint, following the change log from the endpoint's cursor.
 * @example
 * const server = await createServer({ schema, plugins: [webhooks()] })
 */
export function webhooks(options: WebhooksOptions = {}): ServerPlugin {
  const resolved = resolveOptions(options)
  const workers = new Map<string, EndpointWorker>()
  let store: Store | undefined
  let deps: WorkerDeps | undefined
  let refreshTimer: ReturnType<typeof setInterval> | undefined
  let closed = false

  /** Start workers for new endpoints, stop those of deleted ones, wake the rest. */
  async function refresh(): Promise<void> {
    if (!store || !deps || closed) return
    const ids = new Set((await listEndpoints(store)).map((e) => e.id))
    for (const [id, worker] of workers) {
      if (ids.has(id)) continue
      workers.delete(id)
      void worker.stop()
    }
    for (const id of ids) worker(id).kick()
  }

  function worker(id: string): EndpointWorker {
    let w = workers.get(id)
    if (!w) workers.set(id, (w = new EndpointWorker(id, deps!)))
    return w
  }

  return {
    name: 'webhooks',
    api: webhooksApi,
    async setup(ctx) {
      store = ctx.store
      deps = { store: ctx.store, readLog: ctx.readLog, options: resolved, logger: ctx.logger, nodeId: crypto.randomUUID() }
      const endpoints = webhookEndpoints(ctx.store, { allowPrivateUrls: resolved.allowPrivateUrls, resolve: resolved.resolve, models: ctx.schema.modelNames })
      watchBacklog(ctx.metrics, ctx.store)
      webhookRoutes(ctx, endpoints, (id) => void refresh().catch((error: unknown) => ctx.logger.error(`refresh after a change to ${id} failed`, error)))
      // A commit only wakes the workers; each reads the log from its own cursor, so none waits for another.
      ctx.onCommit(() => {
        for (const w of workers.values()) w.kick()
      })
      await refresh()
      refreshTimer = setInterval(() => void refresh().catch((error: unknown) => ctx.logger.error('endpoint refresh failed', error)), resolved.refreshMs)
      refreshTimer.unref?.()
    },
    // Enabled and disabled endpoints alike: a disabled one resumes from its cursor when re-enabled.
    async retainLog() {
      if (!store) return undefined
      const cursors = (await listEndpoints(store)).map((e) => e.cursor)
      return cursors.length ? Math.min(...cursors) + 1 : undefined
    },
    async close() {
      closed = true
      clearInterval(refreshTimer)
      await Promise.all([...workers.values()].map((w) => w.stop()))
      workers.clear()
    },
  }
}
