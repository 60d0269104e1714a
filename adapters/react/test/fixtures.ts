/** @module The schema the React tests use (registered for this package's type program in register.ts). */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
  }),
  weatherReports: model({
    location: z.string(),
    forecast: z.string().optional(),
  }),
})

declare module '@tandem/core' {
  interface Register {
    schema: typeof schema
  }
}
