/**
 * @module Baseline: the thinnest durable WebSocket sync server. It speaks
 * just enough of Tandem's protocol for the bench's clients (`hello` →
 * `synced`, `rpc` commit → `result`, `changes` to every socket), parses
 * each frame with JSON.parse, and commits every frame that arrived in the
 * same event-loop turn in one raw node:sqlite transaction (WAL,
 * synchronous=FULL: the row and a log entry per commit) before it answers
 * and fans out. No auth, validation, idempotency, claims or groups.
 *
 * It is the floor for "a change is durable, then everyone hears of it": the
 * relay plus one durable commit, with nothing of Tandem in it.
 */
import { DatabaseSync } from 'node:sqlite'
import type { WebSocket } from 'ws'
import { modelDdl } from '@tandem/core/schema'
import { createRowCodec } from '@tandem/core/store-kit'
import { schema } from '../lib/schema.ts'
import type { StartedServer } from '../servers/types.ts'
import { closeWss, listenWss } from './wss.ts'

type Params = Array<string | number | null>
interface Job {
  socket: WebSocket
  id: number
  data: Record<string, unknown>
  rowId: string
}

export async function startWsDurable(dbPath: string): Promise<StartedServer> {
  const db = new DatabaseSync(dbPath)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  for (const sql of modelDdl(schema, 'tasks', 'sqlite')) db.exec(sql)
  db.exec('CREATE TABLE IF NOT EXISTS "log" ("syncId" INTEGER PRIMARY KEY, "entry" TEXT NOT NULL)')
  const codec = createRowCodec(schema, 'tasks', 'sqlite')
  const insertRow = db.prepare(`INSERT INTO "tasks" (${codec.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${codec.columns.map(() => '?').join(', ')})`)
  const insertLog = db.prepare('INSERT INTO "log" ("syncId", "entry") VALUES (?, ?)')
  const live = new Set<WebSocket>()
  let syncId = 0
  let generated = 0
  let queue: Job[] = []

  const flush = () => {
    const batch = queue
    queue = []
    const at = new Date().toISOString()
    const entries: string[] = []
    const results: Array<{ job: Job; text: string }> = []
    db.exec('BEGIN IMMEDIATE')
    for (const job of batch) {
      const row = { ...job.data, id: job.rowId, createdAt: at, updatedAt: at, syncId: ++syncId }
      insertRow.run(...(codec.encode({ row, groups: ['project'] }) as Params))
      const entry = JSON.stringify({ syncId, changes: [{ model: 'tasks', id: row.id, op: 'create', data: row }] })
      insertLog.run(syncId, entry)
      entries.push(entry)
      results.push({ job, text: JSON.stringify({ type: 'result', id: job.id, ok: true, value: { object: 'commit', syncId, rows: [row] } }) })
    }
    db.exec('COMMIT')
    const frame = `{"type":"changes","entries":[${entries.join(',')}]}`
    for (const socket of live) socket.send(frame)
    for (const r of results) r.job.socket.send(r.text)
  }

  const { wss, port } = await listenWss()
  wss.on('connection', (socket: WebSocket) => {
    socket.on('close', () => live.delete(socket))
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string; id?: number; params?: { operations: Array<{ id?: string; data: Record<string, unknown> }> } }
      if (frame.type === 'hello') {
        live.add(socket)
        socket.send(JSON.stringify({ type: 'synced', syncId }))
        return
      }
      if (frame.type !== 'rpc' || !frame.params) return
      const op = frame.params.operations[0]!
      if (queue.length === 0) setImmediate(flush)
      queue.push({ socket, id: frame.id!, data: op.data, rowId: op.id ?? `d-${generated++}` })
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeWss(wss)
      db.close()
    },
  }
}
