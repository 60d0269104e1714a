/** The schema the generated client in this folder was made from (`api.d.ts`; the OpenAPI test regenerates it and compares). */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1).max(500),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    points: z.number().int().min(0).optional(),
  }),
  notes: model({ body: z.string() }),
})
