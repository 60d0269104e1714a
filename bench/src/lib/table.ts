/** @module The results table: scenario | metric | Tandem | baseline | ratio. */
import type { Result } from './types.ts'

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—'
  if (!Number.isFinite(value)) return 'n/a'
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${unit}`
}

export function ratio(r: Result): number | null {
  return r.skipped || r.baseline === null || r.baseline === 0 ? null : r.tandem / r.baseline
}

export function formatRatio(r: Result): string {
  const x = ratio(r)
  if (x === null) return '—'
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`
}

export function renderTable(results: readonly Result[]): string {
  const header = ['scenario', 'metric', 'Tandem', 'baseline', 'ratio T/B', 'better']
  const rows = results.map((r) => [
    r.scenario,
    r.metric,
    r.skipped ?? formatValue(r.tandem, r.unit),
    r.skipped ? '—' : formatValue(r.baseline, r.unit),
    formatRatio(r),
    r.better === 'lower' ? 'lower' : 'higher',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (i >= 2 && i <= 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export function renderNotes(results: readonly Result[]): string {
  return results
    .filter((r) => r.note)
    .map((r) => `- ${r.scenario} / ${r.metric}: ${r.note}`)
    .join('\n')
}

/** One line per row that has a goal: the goal, this run's value, met or not. */
export function renderTargets(results: readonly Result[]): string {
  return results
    .filter((r) => r.target)
    .map((r) => {
      const value = r.skipped ?? `${formatValue(r.tandem, r.unit)}${ratio(r) === null ? '' : ` (${formatRatio(r)} baseline)`}`
      const verdict = r.skipped ? 'not measured' : r.target!.met ? 'met' : 'NOT met'
      return `- ${r.scenario} / ${r.metric}: goal ${r.target!.goal}; now ${value}: ${verdict}`
    })
    .join('\n')
}

export const legend =
  'ratio T/B = Tandem ÷ baseline. "better" says which direction is good for the metric: for "lower" (latency) a ratio above 1× means Tandem is that many times slower than the baseline; for "higher" (throughput) a ratio below 1× means Tandem does that fraction of the baseline.'
