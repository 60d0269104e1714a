/** @module The schema the Svelte component tests use, in the page and in Node. */
import { defineSchema, model, z } from '@tandem/core/schema'

export const schema = defineSchema({
  tasks: model({ title: z.string().min(1), status: z.enum(['todo', 'doing', 'done']).default('todo') }),
})
