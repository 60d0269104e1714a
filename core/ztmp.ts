import { defineSchema, model, z } from './src/schema/index.ts'
import { openApiDocument } from './src/protocol/index.ts'
const schema = defineSchema({
  tasks: model({ title: z.string().min(1), status: z.enum(['todo', 'doing', 'done']).default('todo'), assignee: z.string().nullable().optional() }),
  notes: model({ body: z.string() }),
})
const doc = openApiDocument(schema)
console.log(JSON.stringify(doc, null, 1).slice(0, 200000))
