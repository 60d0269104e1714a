/** @module The board's first cards, written once when the board is empty (through the public API, with the dev key). */
import type { Hono } from 'hono'

const cards = [
  { title: 'Write the launch post', status: 'todo', assignee: 'Ada' },
  { title: 'Fix flaky login test', status: 'todo', assignee: null },
  { title: 'Review pricing page', status: 'doing', assignee: 'Grace' },
  { title: 'Translate onboarding emails', status: 'todo', assignee: null },
  { title: 'Summarize user interviews', status: 'doing', assignee: 'Linus' },
  { title: 'Ship dark mode', status: 'done', assignee: 'Ada' },
]

export async function seedBoard(app: Hono, auth: Record<string, string>): Promise<void> {
  // Named, so the activity feed says who wrote the first cards.
  const headers = { ...auth, 'tandem-participant-kind': 'agent', 'tandem-participant-name': 'Board seed' }
  const existing = await app.request('/v1/models/tasks?limit=1', { headers })
  if (!existing.ok) throw new Error(`playground: could not read the board (${existing.status} ${await existing.text()})`)
  if (((await existing.json()) as { data: unknown[] }).data.length > 0) return
  const operations = cards.map((data, i) => ({ op: 'create', model: 'tasks', id: `card-${i + 1}`, data }))
  const res = await app.request('/v1/commits', { method: 'POST', headers, body: JSON.stringify({ operations }) })
  if (!res.ok) throw new Error(`playground: could not seed the board (${res.status} ${await res.text()})`)
}
