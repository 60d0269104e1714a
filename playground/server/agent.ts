/**
 * @module A demo agent: a Node Tandem client on the secret key (participant kind `agent`) that walks the board,
 * claims each open card in turn (waiting in the FIFO line when someone holds it), announces it as its presence
 * intent, "thinks", and writes back.
 */
import Tandem from '@tandem/core'
import type { schema as demoSchema } from 'tandem/demo-schema'

type DemoSchema = typeof demoSchema

export interface AgentOptions {
  schema: DemoSchema
  baseURL: string
  secretKey: string
  name: string
  /** What the agent does while it holds a card (the demo: wait a few seconds). */
  think: (card: string) => Promise<void>
  signal: AbortSignal
}

const next = { todo: 'doing', doing: 'done', done: 'done' } as const
const verbs = { todo: 'triaging', doing: 'finishing', done: 'checking' } as const

/** Runs one pass over the cards that are not done, one claim at a time; resolves when the pass ends or `signal` aborts. */
export async function runAgent(options: AgentOptions): Promise<void> {
  const { name, signal } = options
  const client = Tandem({ schema: options.schema, baseURL: options.baseURL, apiKey: options.secretKey, participant: { kind: 'agent', name } })
  try {
    await client.ready()
    const ids = client.tasks
      .getAll()
      .filter((t) => t.status !== 'done')
      .map((t) => t.id)
      .sort()
    for (const id of ids) {
      if (signal.aborted) break
      const seen = client.tasks.get(id)
      if (!seen || seen.status === 'done') continue
      // Waits in line behind whoever holds the card (a person or the other agent).
      const action = `${verbs[seen.status]} “${seen.title}”`
      await using claim = await client.tasks.claim({ id, action })
      const row = claim.data
      if (row.status === 'done') continue
      // Presence says what the agent is on, for everyone watching the board (the claim is what keeps others out).
      client.presence.setIntent({ model: 'tasks', id, action })
      await options.think(id)
      signal.throwIfAborted()
      const status = next[row.status]
      const note = `${name}: moved from ${row.status} to ${status}.`
      await client.tasks.update({
        id,
        data: { status, assignee: name, notes: row.notes ? `${row.notes}\n${note}` : note },
        // Nobody else can write while we hold the row; readAt keeps the write honest all the same.
        readAt: row.syncId,
      })
      client.presence.clearIntent()
    }
  } catch (error) {
    if (!signal.aborted) throw error
  } finally {
    await client.dispose()
  }
}
