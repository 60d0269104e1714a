/**
 * @module Baseline: the floor for a bootstrap. On connect, a `ws` server
 * reads every row of the table with one raw `SELECT *` (node:sqlite,
 * read-only, the same file Tandem wrote) and sends it as one JSON frame.
 */
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { WebSocketServer } from 'ws'
import type { StartedServer } from '../servers/types.ts'

export async function startWsSnapshot(dbPath: string): Promise<StartedServer> {
  const db = new DatabaseSync(dbPath, { readOnly: true })
  const select = db.prepare('SELECT * FROM "tasks"')
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  wss.on('connection', (socket) => socket.send(JSON.stringify({ rows: select.all() })))
  const { port } = wss.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => {
          db.close()
          resolve()
        })
      }),
  }
}
