/** A TCP proxy that drops connections at random (seeded), for fault-injection tests. */
import { createServer, type Server, type Socket } from 'node:net'

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ChaosProxy {
  url: string
  drops: number
  /** Stop dropping (let the clients settle). */
  calm(): void
  /** Stop forwarding in both directions without closing anything: a half-open network. */
  freeze(): void
  thaw(): void
  /** Resolves the next time the server side closes a connection. */
  serverClosed(): Promise<void>
  close(): Promise<void>
}

/** Forward to `targetPort`; each chunk from a client kills its connection with probability `dropRate`. */
export async function startChaosProxy(targetPort: number, dropRate: number, seed: number): Promise<ChaosProxy> {
  const random = seeded(seed)
  const sockets = new Set<Socket>()
  let calm = false
  let frozen = false
  const closeWaiters: Array<() => void> = []
  const state = { drops: 0 }
  const server: Server = createServer((client) => {
    const upstream = new (client.constructor as typeof Socket)()
    upstream.connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    const kill = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('data', (chunk) => {
      if (frozen) return
      if (!calm && random() < dropRate) {
        state.drops++
        // Half the time the server still gets the request before the cut: the reply is what is lost.
        if (random() < 0.5) upstream.write(chunk, () => setImmediate(kill))
        else kill()
        return
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (frozen) return
      if (!calm && random() < dropRate / 2) {
        state.drops++
        return kill() // the server acted, the client never hears back
      }
      client.write(chunk)
    })
    client.on('error', kill).on('close', kill)
    upstream.on('error', kill).on('close', () => {
      kill()
      closeWaiters.splice(0).forEach((w) => w())
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    get drops() {
      return state.drops
    },
    calm: () => void (calm = true),
    freeze: () => void (frozen = true),
    thaw: () => void (frozen = false),
    serverClosed: () => new Promise<void>((r) => closeWaiters.push(r)),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
