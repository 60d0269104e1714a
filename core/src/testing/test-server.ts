/** @module An in-process server on a free port with an in-memory store, for tests. */
import type { Schema } from '../schema/model.ts'
import { createServer, type ServerOptions, type TandemServer } from '../server/create-server.ts'
import { memoryStore } from '../server/stores/memory-store.ts'

export type TestServer = TandemServer & AsyncDisposable

/**
 * Start a server on 127.0.0.1 and a free port; `await using` closes it.
 * @example
 * await using server = await startTestServer(schema)
 */
export async function startTestServer(schema: Schema, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const server = await createServer({ store: memoryStore(), ...options, schema, port: 0, host: '127.0.0.1' })
  return Object.assign(server, { [Symbol.asyncDispose]: () => server.close() })
}
