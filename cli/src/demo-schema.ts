/** @module The schema `tandem dev` uses when none is given: the playground's board. */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1).max(500),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    notes: z.string().max(10_000).optional(),
  }),
})
