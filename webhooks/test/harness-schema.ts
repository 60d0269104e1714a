/** The schema of the webhooks tests (also loaded by the child server process). */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({ title: z.string(), status: z.enum(['todo', 'doing', 'done']).default('todo'), points: z.number().int().optional() }),
  notes: model({ text: z.string() }),
})
