/** Shared helpers for core's integration tests. */
import Tandem from '@tandem/core'
import type { Schema } from '@tandem/core/schema'
import { startTestServer } from '@tandem/core/testing'
import { memoryStore, type ServerOptions, storeClaimCoordinator } from '@tandem/core/server'
import { afterEach } from 'vitest'
import { schema as fixtureSchema } from './fixtures.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** Register a cleanup that runs after the current test. */
export function defer(fn: () => Promise<void> | void): void {
  cleanups.push(async () => fn())
}

export async function setup<S extends Schema = typeof fixtureSchema>(options: Omit<Partial<ServerOptions>, 'schema'> & { schema?: S } = {}) {
  const schema = (options.schema ?? fixtureSchema) as S
  const server = await startTestServer(schema, options)
  defer(() => server.close())
  const client = (extra: { participant?: { kind: 'human' | 'agent'; name?: string } } = {}) => {
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, ...extra })
    defer(() => c.dispose())
    return c
  }
  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${server.secretKey}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any, headers: res.headers }
  }
  return { server, client, http, schema }
}

type ServerConfig = Omit<Partial<ServerOptions>, 'schema'>
/** Claims tests run against both coordinators: the in-process one and the store-backed one several nodes share. */
export const claimCoordinators = [
  ['in-process coordinator', (o: ServerConfig) => o],
  [
    'store-backed coordinator',
    (o: ServerConfig): ServerConfig => {
      const store = memoryStore()
      return { ...o, store, claimCoordinator: storeClaimCoordinator(store) }
    },
  ],
] as const
