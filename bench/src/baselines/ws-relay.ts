/**
 * @module Baseline: a bare `ws` relay. Every text message is forwarded, as
 * received and without parsing, to every other open socket. It is the floor
 * for propagation and fan-out: what one WebSocket hop through a Node process
 * costs before any sync-engine work.
 */
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { StartedServer } from '../servers/types.ts'

export async function startRelay(): Promise<StartedServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      for (const other of wss.clients) if (other !== socket && other.readyState === other.OPEN) other.send(data, { binary: false })
    })
  })
  const { port } = wss.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}
