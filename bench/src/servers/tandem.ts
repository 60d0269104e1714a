/** @module A Tandem server on 127.0.0.1, any free port: SQLite file (the embedded default), memory or Postgres store. */
import { createServer, memoryStore, sqliteStore } from '@tandem/core/server'
import { postgresStore } from '@tandem/sources'
import { webhooks } from '@tandem/webhooks'
import { schema } from '../lib/schema.ts'
import type { ServerRequest, StartedServer } from './types.ts'

function storeFor(request: ServerRequest) {
  switch (request.store ?? 'sqlite') {
    case 'memory':
      return memoryStore()
    case 'postgres':
      if (!request.databaseUrl) throw new Error('bench: a postgres Tandem server needs databaseUrl')
      return postgresStore({ url: request.databaseUrl })
    case 'sqlite':
      if (!request.dbPath) throw new Error('bench: a sqlite Tandem server needs dbPath')
      return sqliteStore({ path: request.dbPath, ...(request.durability ? { durability: request.durability } : {}) })
  }
}

/** Default options except the ones a scenario overrides explicitly. */
export async function startTandem(request: ServerRequest): Promise<StartedServer> {
  const limits = request.maxBufferedBytes === undefined ? {} : { limits: { maxBufferedBytes: request.maxBufferedBytes } }
  const plugins = request.webhooks ? { plugins: [webhooks({ allowPrivateUrls: true })] } : {}
  const server = await createServer({ schema, store: storeFor(request), port: 0, host: '127.0.0.1', ...limits, ...plugins })
  return { url: server.url, secretKey: server.secretKey, close: () => server.close() }
}
