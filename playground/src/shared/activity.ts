/**
 * @module The activity feed: the change log read with `GET /v1/changes` (long poll) on its own session token, as
 * a nanostores atom each pane renders with its binding. Newest first, the last 15 entries.
 */
import { atom } from 'nanostores'
import type { LogEntry } from '@tandem/core'
import { tokenFor } from './client.ts'

export interface Activity {
  syncId: number
  kind: 'human' | 'agent'
  who: string
  what: string
}

export const activity = atom<Activity[]>([])

const quote = (s: unknown) => `“${String(s)}”`

function describe(entry: LogEntry): Activity | null {
  const who = entry.actor.name ?? entry.actor.id
  const base = { syncId: entry.syncId, kind: entry.actor.kind, who }
  if (entry.claim) {
    const { event, state } = entry.claim
    if (event === 'queued') return { ...base, what: `waits in line for ${state.target.id}` }
    if (event === 'granted') return { ...base, what: `claimed ${state.target.id}${state.action ? ` (${state.action})` : ''}` }
    return { ...base, what: `${event === 'released' ? 'released' : event} ${state.target.id}` }
  }
  const change = entry.changes[0]
  if (!change) return null
  if (entry.changes.length > 1) return { ...base, what: `wrote ${entry.changes.length} cards` }
  const title = change.data?.['title'] ?? change.id
  if (change.op !== 'update') return { ...base, what: `${change.op === 'create' ? 'created' : 'deleted'} ${quote(title)}` }
  const fields = Object.keys(change.previous ?? {})
    .map((f) => `${f} → ${quote(change.data?.[f])}`)
    .join(', ')
  return { ...base, what: `changed ${quote(title)}: ${fields}${entry.stale ? ' (stale)' : ''}` }
}

let started = false

/** Start polling once per page; later calls do nothing. */
export function startActivityFeed(): void {
  if (started) return
  started = true
  const getToken = tokenFor('Activity feed')
  void (async () => {
    let token = await getToken().catch(() => null)
    let after = -1
    for (;;) {
      try {
        token ??= await getToken()
        const headers = { authorization: `Bearer ${token}` }
        if (after < 0) {
          // Start from the recent past, not the whole history.
          const head = (await (await fetch('/v1/changes?after=0&limit=1', { headers })).json()) as { syncId: number }
          after = Math.max(0, head.syncId - 30)
        }
        const res = await fetch(`/v1/changes?after=${after}&wait=20&limit=100`, { headers })
        if (res.status === 401) {
          token = null
          continue
        }
        const page = (await res.json()) as { data: LogEntry[]; cursor: number; resync?: boolean }
        if (page.resync) after = -1
        else after = page.cursor
        const fresh = page.data
          .map(describe)
          .filter((a): a is Activity => a !== null)
          .reverse()
        if (fresh.length) activity.set([...fresh, ...activity.get()].slice(0, 15))
      } catch {
        await new Promise((r) => setTimeout(r, 1000)) // offline or restarting: try again shortly
      }
    }
  })()
}
