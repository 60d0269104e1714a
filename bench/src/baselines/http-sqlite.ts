/**
 * @module Baseline: the smallest HTTP commit endpoint. node:http reads the
 * body, JSON.parse, inserts the created rows with raw node:sqlite (WAL,
 * synchronous=FULL), grouping every request that arrived in the same event
 * loop turn into one transaction (the same group-commit idea as Tandem's
 * pipeline), and answers JSON. No auth, validation, log or idempotency.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { modelDdl } from '@tandem/core/schema'
import { createRowCodec } from '@tandem/core/store-kit'
import { schema } from '../lib/schema.ts'
import type { StartedServer } from '../servers/types.ts'

type Params = Array<string | number | null>

export async function startHttpSqlite(dbPath: string): Promise<StartedServer> {
  const db = new DatabaseSync(dbPath)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  for (const sql of modelDdl(schema, 'tasks', 'sqlite')) db.exec(sql)
  const codec = createRowCodec(schema, 'tasks', 'sqlite')
  const insert = db.prepare(`INSERT INTO "tasks" (${codec.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${codec.columns.map(() => '?').join(', ')})`)
  let syncId = 0
  let nextId = 0
  let queue: Array<{ data: Array<Record<string, unknown>>; reply: (body: string) => void }> = []

  const flush = () => {
    const batch = queue
    queue = []
    const replies: Array<() => void> = []
    db.exec('BEGIN IMMEDIATE')
    for (const job of batch) {
      const at = new Date().toISOString()
      const rows = job.data.map((data) => ({ ...data, id: `h-${nextId++}`, createdAt: at, updatedAt: at, syncId: ++syncId }))
      for (const row of rows) insert.run(...(codec.encode({ row, groups: ['project'] }) as Params))
      const body = JSON.stringify({ object: 'commit', syncId, rows })
      replies.push(() => job.reply(body))
    }
    db.exec('COMMIT')
    for (const reply of replies) reply()
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operations: Array<{ data: Record<string, unknown> }> }
      if (queue.length === 0) setImmediate(flush)
      queue.push({
        data: body.operations.map((op) => op.data),
        reply: (text) => res.writeHead(200, { 'content-type': 'application/json' }).end(text),
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          db.close()
          resolve()
        })
      }),
  }
}
