/** @module A small round-robin TCP proxy (node:net): each new connection goes to the next node; a node that refuses is skipped. */
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface RoundRobinProxy {
  readonly port: number
  close(): Promise<void>
}

export interface Upstream {
  host: string
  port: number
}

/**
 * Listen on `host:port` and pipe each connection to one of `upstreams`, in turn. When the chosen
 * node refuses (it is down), the next one is tried, so a client only fails when every node does.
 */
export async function startRoundRobinProxy(upstreams: readonly Upstream[], { host = '127.0.0.1', port = 0 } = {}): Promise<RoundRobinProxy> {
  let next = 0
  const open = new Set<Socket>()
  const track = (socket: Socket) => (open.add(socket), socket.once('close', () => open.delete(socket)))

  const pipeTo = (client: Socket, tried: number) => {
    if (tried >= upstreams.length) return void client.destroy()
    const target = upstreams[next++ % upstreams.length]!
    const upstream = connect(target.port, target.host)
    track(upstream)
    let connected = false
    upstream.once('connect', () => {
      connected = true
      upstream.once('close', () => client.destroy())
      client.once('close', () => upstream.destroy())
      client.pipe(upstream).pipe(client)
      client.resume()
    })
    // Refused (the node is down): nothing was sent yet, so the next node gets the connection.
    // Dropped later: the client sees its connection close, and reconnects (through the proxy, to another node).
    upstream.once('error', () => (connected ? client.destroy() : pipeTo(client, tried + 1)))
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    track(client)
    client.on('error', () => client.destroy())
    pipeTo(client, 0)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
