/**
 * @module Baseline: the floor for a bootstrap and for a catch-up. On
 * connect, a `ws` server reads with one raw query and sends the result as
 * one JSON frame:
 * - `rows` on sqlite: `SELECT * FROM "tasks"` (node:sqlite, read-only, the
 *   same file Tandem wrote);
 * - `rows` on postgres: `SELECT * FROM "tasks"` with postgres.js on the same
 *   database Tandem wrote;
 * - `rows` on memory: `JSON.stringify` of rows held in an array (no query);
 * - `log` on sqlite: every `_tandem_log` row after `?after=N`, spliced into
 *   the frame as stored (the JSON columns are not parsed and re-encoded).
 */
import type { IncomingMessage } from 'node:http'
import { DatabaseSync } from 'node:sqlite'
import postgres from 'postgres'
import type { WebSocket } from 'ws'
import { seededRow } from '../lib/schema.ts'
import type { ServerRequest, StartedServer } from '../servers/types.ts'
import { closeWss, listenWss } from './wss.ts'

type Source = { frame(req: IncomingMessage): Promise<string> | string; close(): Promise<void> | void }

function sqliteRows(dbPath: string): Source {
  const db = new DatabaseSync(dbPath, { readOnly: true })
  const select = db.prepare('SELECT * FROM "tasks"')
  return { frame: () => JSON.stringify({ rows: select.all() }), close: () => db.close() }
}

function sqliteLog(dbPath: string): Source {
  const db = new DatabaseSync(dbPath, { readOnly: true })
  const select = db.prepare('SELECT "syncId", "txId", "actor", "stale", "createdAt", "changes" FROM "_tandem_log" WHERE "syncId" > ? ORDER BY "syncId"')
  return {
    frame(req) {
      const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0)
      const rows = select.all(after) as Array<{ syncId: number; txId: string | null; actor: string; stale: number; createdAt: string; changes: string }>
      const parts = rows.map(
        (r) =>
          `{"syncId":${r.syncId},"txId":${JSON.stringify(r.txId)},"actor":${r.actor},"stale":${r.stale === 1},"createdAt":${JSON.stringify(r.createdAt)},"changes":${r.changes}}`,
      )
      return `{"entries":[${parts.join(',')}]}`
    },
    close: () => db.close(),
  }
}

function postgresRows(url: string): Source {
  const sql = postgres(url, { max: 2, onnotice: () => {} })
  return {
    frame: async () => JSON.stringify({ rows: await sql.unsafe('SELECT * FROM "tasks"') }),
    close: () => sql.end({ timeout: 2 }),
  }
}

function memoryRows(count: number): Source {
  const rows = Array.from({ length: count }, (_, i) => seededRow(i))
  return { frame: () => JSON.stringify({ rows }), close: () => {} }
}

function sourceFor(request: ServerRequest): Source {
  if (request.snapshot === 'log') return sqliteLog(request.dbPath!)
  switch (request.store ?? 'sqlite') {
    case 'postgres':
      return postgresRows(request.databaseUrl!)
    case 'memory':
      return memoryRows(request.rows ?? 0)
    case 'sqlite':
      return sqliteRows(request.dbPath!)
  }
}

export async function startWsSnapshot(request: ServerRequest): Promise<StartedServer> {
  const source = sourceFor(request)
  const { wss, port } = await listenWss()
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    Promise.resolve(source.frame(req)).then(
      (text) => socket.send(text),
      () => socket.close(1011, 'query failed'),
    )
  })
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      await closeWss(wss)
      await source.close()
    },
  }
}
