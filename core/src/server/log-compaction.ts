/** @module Log compaction: keep the newest `keep` entries and every entry a plugin still retains. */
import type { Hub } from './sync/hub.ts'
import type { Store } from './store.ts'
import { recordCompactedRuns } from './runs/run-history.ts'

export interface LogCompactionOptions {
  store: Store
  hub: Hub
  /** Entries to keep behind the head. */
  keep: number
  /** The lowest syncId still needed by someone else (plugins), or undefined. */
  retained: () => Promise<number | undefined>
}

/**
 * Compacts after commits, in steps of a tenth of `keep` rather than after
 * every one, one run at a time. A run that cannot learn what is retained
 * compacts nothing. Resolves to a stop function that waits for a running one.
 */
export async function startLogCompaction(options: LogCompactionOptions): Promise<() => Promise<void>> {
  const { store, hub, keep } = options
  const step = Math.max(1, Math.floor(keep / 10))
  let compactedThrough = await store.logStart()
  let running: Promise<void> | undefined
  const run = async () => {
    const retained = await options.retained()
    // `retained` itself must survive: drop only what lies before it.
    const through = Math.min(hub.head - keep, retained === undefined ? Infinity : retained - 1)
    if (through <= compactedThrough) return
    await recordCompactedRuns(store, compactedThrough, through)
    await store.compactLog(through)
    compactedThrough = through
  }
  let again = false
  const trigger = (): void => {
    if (hub.head - keep - compactedThrough < step) return
    if (running) {
      again = true // commits during a run: look again when it ends
      return
    }
    running = run()
      .catch((error: unknown) => console.error('[tandem] log compaction failed:', error))
      .finally(() => {
        running = undefined
        if (again && !stopped) {
          again = false
          trigger()
        }
      })
  }
  let stopped = false
  const stop = hub.listen(trigger)
  return async () => {
    stopped = true
    stop()
    await running
  }
}
