/**
 * @module The FIFO line of claims on one row, as pure functions.
 *
 * A row's claims sit in one list in arrival order. Two claims conflict when
 * either is a whole-row claim or both name the same field (`conflicts`, in
 * protocol/claim-rules.ts, shared with the client). A claim is
 * granted once no earlier claim in the list conflicts with it: strict FIFO
 * among conflicting claims, so nobody starves, while claims on different
 * fields proceed side by side.
 */
import { type ClaimTarget, conflicts } from '../../protocol/index.ts'

export interface LineEntry {
  id: string
  target: ClaimTarget
  status: 'active' | 'queued'
}

/** How many claims in `line` a new claim on `target` would wait behind. */
export function aheadOf(line: readonly LineEntry[], target: ClaimTarget): number {
  return line.filter((e) => conflicts(e.target, target)).length
}

/** Entry `index` may be granted: nothing before it conflicts. */
export function grantable(line: readonly LineEntry[], index: number): boolean {
  const me = line[index]!
  for (let i = 0; i < index; i++) if (conflicts(line[i]!.target, me.target)) return false
  return true
}

/** Position of each entry: 0 for holders, else the number of conflicting entries ahead. */
export function positions(line: readonly LineEntry[]): Map<string, number> {
  const out = new Map<string, number>()
  line.forEach((e, i) => {
    out.set(e.id, e.status === 'active' ? 0 : line.slice(0, i).filter((d) => conflicts(d.target, e.target)).length)
  })
  return out
}

/** Reorder the waiting entries of `line` to follow `order` (ids); holders and unknown ids stay put. */
export function reorderLine<T extends LineEntry>(line: readonly T[], order: readonly string[]): T[] {
  const waiting = line.filter((e) => e.status === 'queued')
  const rank = new Map(order.map((id, i) => [id, i]))
  const sorted = [...waiting].sort((a, b) => (rank.get(a.id) ?? order.length + waiting.indexOf(a)) - (rank.get(b.id) ?? order.length + waiting.indexOf(b)))
  let w = 0
  return line.map((e) => (e.status === 'queued' ? sorted[w++]! : e))
}
