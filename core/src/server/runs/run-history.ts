/** @module A run's history in the log: its entries (by the run index), and which runs lost entries to compaction. */
import type { LogEntry } from '../../protocol/index.ts'
import type { Store } from '../store.ts'

const page = 500
/** Record kind naming runs that lost log entries to compaction (value `{ through }`). */
const compactedKind = 'run_compacted'

/** Every entry of `runId` still in the log, ascending. */
export async function readWholeRun(store: Store, runId: string): Promise<LogEntry[]> {
  const out: LogEntry[] = []
  for (let after = 0; ;) {
    const entries = await store.readRunLog(runId, after, page)
    out.push(...entries)
    if (entries.length < page) return out
    after = entries.at(-1)!.syncId
  }
}

/** Log entries after `after`, page by page, until `fn` returns false or the log ends. */
export async function scanLog(store: Store, after: number, fn: (entry: LogEntry) => boolean | void): Promise<void> {
  for (let from = after; ;) {
    const entries = await store.readLog(from, page)
    for (const e of entries) if (fn(e) === false) return
    if (entries.length < page) return
    from = entries.at(-1)!.syncId
  }
}

/**
 * Before compacting the log through `through`, note every run that loses entries, so its revert can refuse
 * (`history_compacted`) instead of reverting only the part still in the log.
 */
export async function recordCompactedRuns(store: Store, after: number, through: number): Promise<void> {
  const runs = new Set<string>()
  await scanLog(store, after, (e) => {
    if (e.syncId > through) return false
    if (e.runId !== undefined) runs.add(e.runId)
  })
  for (const runId of runs) await store.putRecord(compactedKind, runId, { through })
}

/** Through which syncId compaction dropped entries of `runId`, or null if it dropped none. */
export async function runCompactedThrough(store: Store, runId: string): Promise<number | null> {
  const record = (await store.getRecord(compactedKind, runId)) as { through: number } | null
  return record?.through ?? null
}
