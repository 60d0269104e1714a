/**
 * @module The edits a card offers, shared by the three panes: rename (stale-guarded by the version the person
 * started from) and move to another column. A refused edit's message is kept per pane and card in a store, not in
 * the card component: a refused move re-renders the card in its old column (a new component) and must still show why.
 */
import { map, type MapStore } from 'nanostores'
import type { RegisteredClient } from '@tandem/core'
import { describeError, type Status } from './client.ts'

const stores = new WeakMap<RegisteredClient, MapStore<Record<string, string | undefined>>>()

/** The messages of one pane (one client), by card id. */
export function messagesOf(client: RegisteredClient): MapStore<Record<string, string | undefined>> {
  let store = stores.get(client)
  if (!store) stores.set(client, (store = map({})))
  return store
}

async function attempt(client: RegisteredClient, id: string, write: () => Promise<unknown>): Promise<boolean> {
  const messages = messagesOf(client)
  messages.setKey(id, undefined)
  try {
    await write()
    return true
  } catch (error) {
    messages.setKey(id, describeError(error))
    return false
  }
}

/** Resolves to whether the rename landed. */
export function rename(client: RegisteredClient, id: string, title: string, readAt: number | undefined): Promise<boolean> {
  return attempt(client, id, () => client.tasks.update({ id, data: { title }, ...(readAt !== undefined ? { readAt } : {}) }))
}

export function move(client: RegisteredClient, id: string, status: Status): Promise<boolean> {
  return attempt(client, id, () => client.tasks.update({ id, data: { status } }))
}

/** Forget a card's message (the person pressed Escape). */
export function dismiss(client: RegisteredClient, id: string): void {
  messagesOf(client).setKey(id, undefined)
}
