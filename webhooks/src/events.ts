/** @module Log entries as webhook events (spec §8), and the `enabledEvents` filter. */
import type { LogEntry } from '@tandem/core/protocol'

export type RowEventType = 'created' | 'updated' | 'deleted'
export type ClaimEventType = 'claim.granted' | 'claim.released' | 'claim.expired' | 'claim.queued' | 'claim.canceled'

/** One event in a delivery's `data` array. */
export interface WebhookEvent {
  /** Stable across retries: `evt_<syncId>_<index of the change in its entry>`. */
  id: string
  /** `<model>.created|updated|deleted`, or `<model>.claim.<granted|released|expired|queued|canceled>`. */
  type: string
  model: string
  objectId: string
  /** The row after the change (null on delete); for a claim event, the claim's state. */
  data: Record<string, unknown> | null
  /** Old values of the fields the change touched (the whole row on delete; null on create and claim events). */
  previous: Record<string, unknown> | null
  syncId: number
  actor: LogEntry['actor']
  stale: boolean
  createdAt: string
}

export const rowEventTypes: readonly RowEventType[] = ['created', 'updated', 'deleted']
export const claimEventTypes: readonly ClaimEventType[] = ['claim.granted', 'claim.released', 'claim.expired', 'claim.queued', 'claim.canceled']

const past = { create: 'created', update: 'updated', delete: 'deleted' } as const

/** The events of one log entry, in order. */
export function eventsOf(entry: LogEntry): WebhookEvent[] {
  const base = { syncId: entry.syncId, actor: entry.actor, stale: entry.stale, createdAt: entry.createdAt }
  if (entry.claim) {
    const { state, event } = entry.claim
    return [
      {
        id: `evt_${entry.syncId}_0`,
        type: `${state.target.model}.claim.${event}`,
        model: state.target.model,
        objectId: state.target.id,
        data: state as unknown as Record<string, unknown>,
        previous: null,
        ...base,
      },
    ]
  }
  return entry.changes.map((change, index) => ({
    id: `evt_${entry.syncId}_${index}`,
    type: `${change.model}.${past[change.op]}`,
    model: change.model,
    objectId: change.id,
    data: change.data,
    previous: change.previous,
    ...base,
  }))
}

/**
 * Does `type` match one of `patterns`? A pattern is `*`, an exact type, or a
 * prefix ending in `.*` (`tasks.*`, `tasks.claim.*`).
 */
export function matchesEvent(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))))
}

/** Every pattern a schema with these models accepts, for validation and error messages. */
export function knownPatterns(models: readonly string[]): Set<string> {
  const out = new Set(['*'])
  for (const m of models) {
    out.add(`${m}.*`)
    out.add(`${m}.claim.*`)
    for (const t of [...rowEventTypes, ...claimEventTypes]) out.add(`${m}.${t}`)
  }
  return out
}
