/** @module Open and close many Tandem clients (WebSocket transport, the default) against one server. */
import Tandem, { type TandemClient } from '@tandem/core'
import type { ServerHandle } from '../servers/spawn.ts'
import { countingTransport, type FrameCounts } from './frame-counter.ts'
import { schema } from './schema.ts'
import { withDeadline } from './stats.ts'

export type BenchClient = TandemClient<typeof schema>

/** A client; with `counts`, its frames are counted (see frame-counter.ts). */
export function openClient(server: ServerHandle, counts?: FrameCounts): BenchClient {
  return Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, ...(counts ? { transport: countingTransport(counts) } : {}) })
}

/** `count` clients, all connected and bootstrapped. Opened in small waves so the server is not flooded with handshakes. */
export async function openClients(server: ServerHandle, count: number, counts?: FrameCounts, timeoutMs = 60_000): Promise<BenchClient[]> {
  const clients: BenchClient[] = []
  const wave = 25
  for (let i = 0; i < count; i += wave) {
    const batch = Array.from({ length: Math.min(wave, count - i) }, () => openClient(server, counts))
    clients.push(...batch)
    await withDeadline(Promise.all(batch.map((c) => c.ready())), timeoutMs, `connecting ${count} clients`)
  }
  return clients
}

export async function closeClients(clients: readonly BenchClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.dispose()))
}

/** Resolve once `selector(client)` returns something truthy (checked now and on every change it depends on). */
export function until<T>(client: BenchClient, selector: (c: BenchClient) => T, timeoutMs: number, what: string): Promise<T> {
  let off = () => {}
  const seen = new Promise<T>((resolve) => {
    const first = selector(client)
    if (first) return resolve(first)
    off = client.subscribe(selector, (value) => value && resolve(value))
  })
  return withDeadline(seen, timeoutMs, what).finally(() => off())
}
