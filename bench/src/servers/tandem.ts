/** @module A Tandem server on a SQLite file (the embedded default store), 127.0.0.1, any free port. */
import { createServer, sqliteStore } from '@tandem/core/server'
import { schema } from '../lib/schema.ts'
import type { StartedServer } from './types.ts'

/** Default options except the ones a scenario overrides explicitly. */
export async function startTandem(dbPath: string, maxBufferedBytes?: number): Promise<StartedServer> {
  const limits = maxBufferedBytes === undefined ? {} : { limits: { maxBufferedBytes } }
  const server = await createServer({ schema, store: sqliteStore({ path: dbPath }), port: 0, host: '127.0.0.1', ...limits })
  return { url: server.url, secretKey: server.secretKey, close: () => server.close() }
}
