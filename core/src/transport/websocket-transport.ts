/** @module WebSocket transport: the browser's WebSocket, or Node's global one (or `ws`, injected). */
import { TandemValidationError } from '../errors/index.ts'
import { serverFrameSchema, subprotocol } from '../protocol/index.ts'
import type { Transport } from './transport.ts'

type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocket

export interface WebsocketTransportOptions {
  /** A WebSocket constructor, e.g. `ws`'s, where there is no global one. */
  WebSocket?: WebSocketCtor
}

/** `http(s)://host` → `ws(s)://host/v1/sync` */
export function syncUrl(baseURL: string): string {
  const url = new URL('/v1/sync', baseURL)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

export function websocketTransport(options: WebsocketTransportOptions = {}): Transport {
  return {
    kind: 'websocket',
    connect(baseURL, handlers) {
      const Ctor = options.WebSocket ?? (globalThis.WebSocket as WebSocketCtor | undefined)
      if (!Ctor) {
        throw new TandemValidationError({
          code: 'invalid_request',
          message: 'No WebSocket implementation here: pass websocketTransport({ WebSocket }) (e.g. from "ws"), or transport: \'http\'',
          param: 'transport',
        })
      }
      const ws = new Ctor(syncUrl(baseURL), subprotocol)
      let closed = false
      const close = (code: number, reason: string) => {
        if (closed) return
        closed = true
        handlers.onClose({ code, reason })
      }
      ws.onopen = () => handlers.onOpen()
      ws.onmessage = (event: MessageEvent) => {
        if (typeof event.data !== 'string') return
        let parsed: unknown
        try {
          parsed = JSON.parse(event.data)
        } catch {
          return
        }
        const frame = serverFrameSchema.safeParse(parsed)
        if (frame.success) handlers.onFrame(frame.data)
      }
      ws.onclose = (event: CloseEvent) => close(event.code, event.reason)
      ws.onerror = () => {
        // A close event follows; nothing to do here.
      }
      return {
        send(frame) {
          if (ws.readyState === 1) ws.send(JSON.stringify(frame))
        },
        close() {
          try {
            ws.close(1000, 'client closed')
          } catch {
            // already closing
          }
          close(1000, 'client closed')
        },
      }
    },
  }
}
