/** @module One Tandem client per pane, each a different person, on a session token the dev server mints for it. */
import Tandem, { type ClaimState, type PresenceEntry, type TandemError } from '@tandem/core'
import { schema } from 'tandem/demo-schema'

declare module '@tandem/core' {
  interface Register {
    schema: typeof schema
  }
}

export { schema }
export type Status = 'todo' | 'doing' | 'done'
export const columns: Status[] = ['todo', 'doing', 'done']

/** Asks the dev server for a session token for `name` (the page never sees the secret key). */
export function tokenFor(name: string): () => Promise<string | null> {
  return async () => {
    const res = await fetch('/playground/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
    if (!res.ok) throw new Error(`could not get a session (${res.status})`)
    return ((await res.json()) as { token: string }).token
  }
}

/** A client for one pane; the binding's provider / plugin / context starts and disposes it. */
export function paneClient(name: string) {
  return Tandem({ schema, baseURL: location.origin, getToken: tokenFor(name), autoConnect: false })
}

/** What a refused write shows: the error's class and code, and the server's words. */
export function describeError(error: unknown): string {
  const e = error as Partial<TandemError>
  if (e && typeof e.code === 'string') return `${e.type ?? 'TandemError'}: ${e.code} — ${e.message ?? ''}`
  return String(error)
}

/** Who holds a card and what they are doing, as a badge shows it (words, not emoji: not every machine has the font). */
export function holderText(claim: ClaimState): string {
  const who = claim.heldBy.name ?? claim.heldBy.id
  return `${who} (${claim.heldBy.kind})${claim.action ? ` is ${claim.action}` : ' holds it'}`
}

/** The FIFO line behind the holder. */
export function queueText(queue: readonly ClaimState[]): string {
  return `waiting: ${queue.map((c) => c.heldBy.name ?? c.heldBy.id).join(', ')}`
}

/** Who else is on a card and what they do there, as a presence badge shows it. */
export function presenceText(entry: PresenceEntry): string {
  const who = entry.participant.name ?? entry.participant.id
  return `${who} (${entry.participant.kind}) ${entry.intent?.action ?? 'is looking'}`
}

/** The intent a person announces while a card's title has the focus. */
export const editingIntent = (id: string) => ({ model: 'tasks' as const, id, action: 'editing' })
