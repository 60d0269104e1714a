/**
 * @module The edits a card offers, shared by the three panes: rename (stale-guarded by the version the person
 * started from) and move to another column. Each resolves to the message to show, or null when it landed.
 */
import type { RegisteredClient } from '@tandem/core'
import { describeError, type Status } from './client.ts'

export async function rename(client: RegisteredClient, id: string, title: string, readAt: number | undefined): Promise<string | null> {
  try {
    await client.tasks.update({ id, data: { title }, ...(readAt !== undefined ? { readAt } : {}) })
    return null
  } catch (error) {
    return describeError(error)
  }
}

export async function move(client: RegisteredClient, id: string, status: Status): Promise<string | null> {
  try {
    await client.tasks.update({ id, data: { status } })
    return null
  } catch (error) {
    return describeError(error)
  }
}
