/**
 * @module Worker-thread entry: starts one server (Tandem or a baseline) so
 * that it has its own event loop, as it would in production, while the
 * clients run on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { startServer } from './start.ts'
import type { ServerRequest } from './types.ts'

const port = parentPort!
startServer(workerData as ServerRequest).then(
  (server) => {
    port.postMessage({ type: 'ready', url: server.url, secretKey: server.secretKey })
    port.on('message', (message: { type: string }) => {
      if (message.type !== 'close') return
      server.close().then(
        () => port.postMessage({ type: 'closed' }),
        (error: unknown) => port.postMessage({ type: 'closed', error: String(error) }),
      )
    })
  },
  (error: unknown) => port.postMessage({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
)
