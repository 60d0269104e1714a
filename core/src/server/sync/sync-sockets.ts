/**
 * @module The WebSocket door: upgrades at `/v1/sync` (subprotocol and origin checked), one `SyncConnection` per
 * socket, claim changes broadcast to the sockets that can see the row, liveness by ws-level ping/pong.
 */
import type { Server as HttpServer } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { subprotocol } from '../../protocol/index.ts'
import type { ServerContext } from '../server-context.ts'
import { encodeClaims, type ServerSocket, SyncConnection } from './sync-connection.ts'

export class SyncSockets {
  readonly #ctx: ServerContext
  readonly #open = new Set<SyncConnection>()
  /** Answered the last ping. */
  readonly #alive = new WeakSet<SyncConnection>()
  readonly #wss: WebSocketServer
  readonly #stopClaims: () => void

  constructor(ctx: ServerContext) {
    this.#ctx = ctx
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.limits.maxFrameBytes * 2,
      handleProtocols: (protocols) => (protocols.has(subprotocol) ? subprotocol : false),
    })
    this.#stopClaims = ctx.claims.claims.onChange((change) => {
      const frame = encodeClaims(change)
      for (const conn of this.#open) conn.deliverClaims(change, frame)
    })
  }

  /** Open connections. */
  get size(): number {
    return this.#open.size
  }

  /** Serve a socket: one that came through the upgrade, or an in-process one. */
  accept(ws: ServerSocket): void {
    const conn = new SyncConnection(ws, this.#ctx)
    this.#open.add(conn)
    this.#alive.add(conn)
    ws.on('pong', () => this.#alive.add(conn))
    ws.on('close', () => this.#open.delete(conn))
  }

  /** Take WebSocket upgrades of `http` at `/v1/sync`. */
  attach(http: HttpServer): void {
    const allowed = this.#ctx.allowedOrigins
    http.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname
      if (path !== '/v1/sync') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
        return
      }
      const origin = req.headers.origin
      if (origin && allowed && !allowed.includes(origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
        return
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        const tcp = socket as Socket
        this.accept(Object.assign(ws, { cork: () => tcp.cork(), uncork: () => tcp.uncork() }) as unknown as ServerSocket)
      })
    })
  }

  /** Every connection re-checks its credential (revoked keys and sessions, expired tokens end their sockets). */
  revalidate(): void {
    for (const conn of this.#open) conn.revalidate()
  }

  /** End the sockets that did not answer the previous ping (half-open: the peer went without a close); ping the rest. */
  ping(): void {
    for (const conn of this.#open) {
      if (!this.#alive.has(conn)) {
        conn.ws.terminate()
        continue
      }
      this.#alive.delete(conn)
      conn.ws.ping()
    }
  }

  close(): void {
    this.#stopClaims()
    for (const conn of this.#open) conn.ws.terminate()
    this.#wss.close()
  }
}
