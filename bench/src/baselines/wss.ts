/** @module The `ws` server the WebSocket baselines share: listening on 127.0.0.1, any free port; closed with its clients cut. */
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

export async function listenWss(): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  return { wss, port: (wss.address() as AddressInfo).port }
}

export function closeWss(wss: WebSocketServer): Promise<void> {
  return new Promise((resolve) => {
    for (const c of wss.clients) c.terminate()
    wss.close(() => resolve())
  })
}
