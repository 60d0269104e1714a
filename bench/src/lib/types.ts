/** @module The shapes every scenario shares: options in, result rows out. */

export interface BenchOptions {
  /** Smaller counts and shorter time caps: the whole run in about two minutes. */
  quick: boolean
  /** A fresh folder for this run's database files (removed at the end). */
  tmpDir: string
  /** Progress line on stderr. */
  log(message: string): void
}

/** Which way is good for a metric. */
export type Better = 'lower' | 'higher'

export interface Result {
  scenario: string
  metric: string
  unit: string
  better: Better
  tandem: number
  /** Null when the metric has no baseline. */
  baseline: number | null
  /** Counts, sizes, caveats: whatever a reader needs to interpret the row. */
  note?: string
  /** Set when the row could not be measured here (e.g. "skipped (no Postgres)"); printed instead of the numbers. */
  skipped?: string
  /** A goal from the issue tracker for this row, and whether this run meets it. */
  target?: Target
}

export interface Target {
  /** e.g. "< 2 ms", "within 1.5× relay" */
  goal: string
  met: boolean
}

export interface Scenario {
  /** Used by `--only`. */
  name: string
  /** One line: what it measures. */
  title: string
  run(options: BenchOptions): Promise<Result[]>
}
