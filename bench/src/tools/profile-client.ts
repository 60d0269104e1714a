/**
 * @module `node --conditions=@tandem/source --cpu-prof bench/src/tools/profile-client.ts [writes]`:
 * one Tandem() writer queues `writes` updates over 100 rows against a spawned server, a second
 * client waits to see the last; prints the writer's loop time per call and the total rate.
 */
import Tandem from '@tandem/core'
import { closeClients, until, type BenchClient } from '../lib/clients.ts'
import { schema, taskData } from '../lib/schema.ts'
import { now } from '../lib/stats.ts'
import { spawnServer } from '../servers/spawn.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const writes = Number(process.argv[2] ?? 10_000)
const server = await spawnServer({ kind: 'tandem', dbPath: join(mkdtempSync(join(tmpdir(), 'prof-')), 'db.sqlite') })
const make = () => Tandem({ schema, baseURL: server.url, apiKey: server.secretKey }) as BenchClient
const [writer, reader] = [make(), make()]
await Promise.all([writer.ready(), reader.ready()])
const rows = 100
await Promise.all(Array.from({ length: rows }, (_, r) => writer.tasks.create({ id: `r-${r}`, data: taskData(r) })))
await until(reader, (c) => c.tasks.get(`r-${rows - 1}`), 30_000, 'rows seen')
for (let round = 0; round < 3; round++) {
  const base = round * writes
  const t0 = now()
  for (let i = 1; i <= writes; i++) void writer.tasks.update({ id: `r-${i % rows}`, data: { points: base + i }, wait: 'queued' })
  const loop = now() - t0
  await until(reader, (c) => c.tasks.get(`r-${writes % rows}`)?.points === base + writes, 120_000, 'seen')
  const total = now() - t0
  console.log(`round ${round}: loop ${((loop * 1000) / writes).toFixed(1)} µs/call, ${(writes / (total / 1000)).toFixed(0)} updates/s until seen`)
}
await closeClients([writer, reader])
await server.close()
