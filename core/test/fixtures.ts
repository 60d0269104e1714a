import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    points: z.number().int().optional(),
  }),
  weatherReports: model({
    location: z.string(),
    status: z.enum(['pending', 'ready']),
    forecast: z.string().optional(),
  }),
})
