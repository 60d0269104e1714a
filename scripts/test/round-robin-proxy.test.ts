/** @module The cluster's round-robin proxy: connections go to the nodes in turn; a node that refuses is skipped. */
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { type RoundRobinProxy, startRoundRobinProxy } from '../cluster/round-robin-proxy.ts'

const servers: Server[] = []
let proxy: RoundRobinProxy | undefined
afterEach(async () => {
  await proxy?.close()
  for (const s of servers.splice(0)) if (s.listening) await new Promise((r) => s.close(r))
})

/** An HTTP server answering its own name. */
async function named(name: string): Promise<number> {
  const server = createServer((_, res) => res.end(name))
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as { port: number }).port
}

const ask = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })).text()

describe('round-robin proxy', () => {
  it('sends each new connection to the next node, and skips one that is down', async () => {
    const ports = [await named('a'), await named('b'), await named('c')]
    proxy = await startRoundRobinProxy(ports.map((port) => ({ host: '127.0.0.1', port })))
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await ask(proxy.port))
    expect(answers).toEqual(['a', 'b', 'c', 'a', 'b', 'c'])

    servers[1]!.closeAllConnections()
    await new Promise((r) => servers[1]!.close(r))
    const after = []
    for (let i = 0; i < 4; i++) after.push(await ask(proxy.port))
    expect(after).not.toContain('b')
    expect(new Set(after)).toEqual(new Set(['a', 'c']))
  })
})
