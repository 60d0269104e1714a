/**
 * @module Test helper: a TCP proxy in front of Postgres that counts round
 * trips per connection. A round trip starts whenever the client sends after
 * the server last spoke (or first): pipelined statements sent together count
 * once, however many there are.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

export interface RoundTripProxy {
  /** `url` with its host and port swapped for the proxy's. */
  url: string
  /** Round trips so far on each connection open through the proxy (in connection order). */
  counts(): number[]
  /** Start counting again from zero on every connection. */
  reset(): void
  close(): Promise<void>
}

export async function startRoundTripProxy(target: string): Promise<RoundTripProxy> {
  const upstream = new URL(target)
  const connections: Array<{ trips: number; client: Socket; server: Socket }> = []
  const proxy = createServer((client) => {
    const server = connect(Number(upstream.port || 5432), upstream.hostname)
    const link = { trips: 0, client, server }
    connections.push(link)
    let clientSpoke = false
    client.on('data', (chunk) => {
      if (!clientSpoke) link.trips++
      clientSpoke = true
      server.write(chunk)
    })
    server.on('data', (chunk) => {
      clientSpoke = false
      client.write(chunk)
    })
    const end = () => (client.destroy(), server.destroy())
    client.on('close', end).on('error', end)
    server.on('close', end).on('error', end)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.hostname = '127.0.0.1'
  url.port = String((proxy.address() as AddressInfo).port)
  return {
    url: url.toString(),
    counts: () => connections.map((c) => c.trips),
    reset: () => connections.forEach((c) => (c.trips = 0)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) (c.client.destroy(), c.server.destroy())
        proxy.close(() => resolve())
      }),
  }
}
