/**
 * @module Baseline: a bare `ws` relay. Every text message is forwarded, as
 * received and without parsing, to every other open socket. It is the floor
 * for propagation and fan-out: what one WebSocket hop through a Node process
 * costs before any sync-engine work.
 */
import type { WebSocket } from 'ws'
import type { StartedServer } from '../servers/types.ts'
import { closeWss, listenWss } from './wss.ts'

export async function startRelay(): Promise<StartedServer> {
  const { wss, port } = await listenWss()
  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      for (const other of wss.clients) if (other !== socket && other.readyState === other.OPEN) other.send(data, { binary: false })
    })
  })
  return { url: `ws://127.0.0.1:${port}`, close: () => closeWss(wss) }
}
