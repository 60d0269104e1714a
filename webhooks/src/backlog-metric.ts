/** @module `tandem_webhook_backlog`: per endpoint, the log entries after its cursor, read when scraped. */
import type { Store } from '@tandem/core/server'
import { Gauge, type Registry } from 'prom-client'
import { listEndpoints } from './endpoint-store.ts'

export function watchBacklog(registry: Registry, store: Store): void {
  new Gauge({
    name: 'tandem_webhook_backlog',
    help: 'Log entries after the endpoint’s cursor: not yet delivered (or filtered out), by endpoint id and status',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
    async collect() {
      const [head, endpoints] = await Promise.all([store.headSyncId(), listEndpoints(store)])
      // Deleted endpoints drop out of the series.
      this.reset()
      for (const e of endpoints) this.set({ endpoint: e.id, status: e.status }, Math.max(0, head - e.cursor))
    },
  })
}
