/**
 * @module Worker-thread entry: starts one server (Tandem or a baseline) so
 * that it has its own event loop, as it would in production, while the
 * clients run on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { ServerRequest, StartedServer } from './types.ts'

async function start(request: ServerRequest): Promise<StartedServer> {
  switch (request.kind) {
    case 'tandem':
      return (await import('./tandem.ts')).startTandem(request.dbPath!, request.maxBufferedBytes)
    case 'relay':
      return (await import('../baselines/ws-relay.ts')).startRelay()
    case 'http-sqlite':
      return (await import('../baselines/http-sqlite.ts')).startHttpSqlite(request.dbPath!)
    case 'ws-snapshot':
      return (await import('../baselines/ws-snapshot.ts')).startWsSnapshot(request.dbPath!)
  }
}

const port = parentPort!
start(workerData as ServerRequest).then(
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
