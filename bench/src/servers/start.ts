/** @module Start the server a request names; shared by the worker-thread and the child-process entries. */
import type { ServerRequest, StartedServer } from './types.ts'

export async function startServer(request: ServerRequest): Promise<StartedServer> {
  switch (request.kind) {
    case 'tandem':
      return (await import('./tandem.ts')).startTandem(request)
    case 'relay':
      return (await import('../baselines/ws-relay.ts')).startRelay()
    case 'http-sqlite':
      return (await import('../baselines/http-sqlite.ts')).startHttpSqlite(request.dbPath!)
    case 'ws-durable':
      return (await import('../baselines/ws-durable.ts')).startWsDurable(request.dbPath!)
    case 'ws-snapshot':
      return (await import('../baselines/ws-snapshot.ts')).startWsSnapshot(request)
  }
}
