import Tandem from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { defineSchema, model, z } from '@tandem/core/schema'
const schema = defineSchema({ tasks: model({ title: z.string() }) })
const server = await createServer({ schema, store: memoryStore(), port: 0 })
const a = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
await a.ready()
await a.tasks.create({ id: 'a', data: { title: 'A' } })
const b = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'agent', name: 'W' } })
await b.ready()
a.presence.setIntent({ model: 'tasks', id: 'x', action: 'e' })
await new Promise((r) => setTimeout(r, 500))
console.log('b sees', JSON.stringify(b.presence.list.get().map((p) => p.intent)))
a.presence.setIntent({ model: 'tasks', id: 'y', action: 'e' })
await new Promise((r) => setTimeout(r, 500))
console.log('b sees', JSON.stringify(b.presence.list.get().map((p) => p.intent)))
await a.dispose(); await b.dispose(); await server.close()
