/**
 * @module The `Transport` interface: how frames travel between a client and
 * the server. The client speaks protocol frames; a transport only moves them.
 */
import type { ClientFrame, ServerFrame } from '../protocol/index.ts'

export interface TransportCloseEvent {
  /** WebSocket-style close code (4001 = unauthenticated, 1006 = dropped). */
  code: number
  reason: string
}

export interface TransportHandlers {
  onOpen(): void
  onFrame(frame: ServerFrame): void
  onClose(event: TransportCloseEvent): void
}

/** One open (or opening) connection. */
export interface TransportConnection {
  send(frame: ClientFrame): void
  close(): void
}

/**
 * A way to reach the server. `connect` opens one connection; the client
 * calls it again to reconnect.
 * @example
 * const tandem = Tandem({ schema, transport: websocketTransport() })
 */
export interface Transport {
  readonly kind: string
  connect(baseURL: string, handlers: TransportHandlers): TransportConnection
}
