/**
 * @module In-process transport: a client and a server in the same process,
 * no sockets. Frames still travel as JSON text (so nothing is shared by
 * reference) and are delivered asynchronously, in order, like on a network.
 */
import { EventEmitter } from 'node:events'
import { serverFrameSchema } from '../../protocol/index.ts'
import type { Transport } from '../../transport/transport.ts'
import type { TandemServer } from '../create-server.ts'
import type { ServerSocket } from './sync-connection.ts'

/**
 * A Transport straight into `server`.
 * @example
 * const server = await createServer({ schema, store: memoryStore(), port: 0 })
 * const tandem = Tandem({ schema, apiKey: server.secretKey, transport: inProcessTransport(server) })
 */
export function inProcessTransport(server: Pick<TandemServer, 'accept'>): Transport {
  return {
    kind: 'in-process',
    connect(_baseURL, handlers) {
      const events = new EventEmitter()
      let open = true
      const end = (code: number, reason: string) => {
        if (!open) return
        open = false
        queueMicrotask(() => {
          events.emit('close')
          handlers.onClose({ code, reason })
        })
      }
      const socket: ServerSocket = {
        OPEN: 1,
        get readyState() {
          return open ? 1 : 3
        },
        bufferedAmount: 0,
        send(text) {
          if (!open) return
          queueMicrotask(() => {
            if (!open) return
            const frame = serverFrameSchema.safeParse(JSON.parse(text))
            if (frame.success) handlers.onFrame(frame.data)
          })
        },
        close: (code, reason) => end(code, reason),
        terminate: () => end(1006, 'terminated'),
        ping: () => queueMicrotask(() => events.emit('pong')),
        on(event: string, listener: (...args: any[]) => void) {
          events.on(event, listener)
          return socket
        },
      }
      server.accept(socket)
      queueMicrotask(() => open && handlers.onOpen())
      return {
        send(frame) {
          if (!open) return
          const text = JSON.stringify(frame)
          queueMicrotask(() => open && events.emit('message', Buffer.from(text), false))
        },
        close: () => end(1000, 'client closed'),
      }
    },
  }
}
