/**
 * @module The server's housekeeping on timers: forget old idempotency records (hourly), compact the log (when
 * `logRetention` is set, never past what a plugin retains), re-check every socket's credential (each second), and
 * ping sockets to find half-open ones.
 */
import { startLogCompaction } from './log-compaction.ts'
import type { Store } from './store.ts'
import type { Hub } from './sync/hub.ts'
import type { SyncSockets } from './sync/sync-sockets.ts'

export interface MaintenanceOptions {
  store: Store
  hub: Hub
  sockets: SyncSockets
  idempotencyRetentionMs: number
  /** Keep at least this many log entries (undefined: keep all). */
  logRetention: number | undefined
  /** The lowest syncId any plugin still needs. */
  retained(): Promise<number | undefined>
  pingIntervalMs: number
}

/** Starts the timers; resolves to a function that stops them. */
export async function startMaintenance(o: MaintenanceOptions): Promise<() => Promise<void>> {
  const prune = () =>
    void o.store
      .pruneIdempotency(new Date(Date.now() - o.idempotencyRetentionMs).toISOString())
      .catch((error: unknown) => console.error('[tandem] idempotency pruning failed:', error))
  prune()
  const timers = [
    setInterval(prune, Math.min(3600_000, o.idempotencyRetentionMs)),
    setInterval(() => o.sockets.revalidate(), 1000),
    setInterval(() => o.sockets.ping(), o.pingIntervalMs),
  ]
  for (const t of timers) t.unref()
  const stopCompaction =
    o.logRetention === undefined ? undefined : await startLogCompaction({ store: o.store, hub: o.hub, keep: o.logRetention, retained: o.retained })
  return async () => {
    for (const t of timers) clearInterval(t)
    await stopCompaction?.()
  }
}
