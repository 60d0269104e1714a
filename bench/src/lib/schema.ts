/** @module The schema every scenario writes to, and a row of realistic size. */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    points: z.number().int().optional(),
  }),
})

/** The data of the `i`-th task a scenario creates. */
export function taskData(i: number): { title: string; status: 'todo'; assignee: string; points: number } {
  return { title: `Task ${i}: write the quarterly forecast`, status: 'todo', assignee: `user-${i % 50}`, points: i % 13 }
}

/** Id of the `i`-th row the bootstrap scenarios seed. */
export const seededId = (i: number): string => `boot-${String(i).padStart(7, '0')}`

/** The `i`-th seeded row as a store holds it (what the in-memory baseline sends). */
export function seededRow(i: number): Record<string, unknown> {
  const at = '2026-01-01T00:00:00.000Z'
  return { id: seededId(i), createdAt: at, updatedAt: at, syncId: Math.floor(i / 500) + 1, ...taskData(i) }
}
