/** A board for the agent tests, and an MCP endpoint on a free port serving one Tandem client per session. */
import { serve } from '@hono/node-server'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import Tandem, { defineSchema, model, z } from '@tandem/core'
import { startTestServer } from '@tandem/core/testing'
import type { AddressInfo } from 'node:net'
import { mcpHttpHandler } from '@tandem/agents/mcp'

export const schema = defineSchema({
  tasks: model({
    title: z.string().min(1),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    count: z.number().int().default(0),
    notes: z.string().optional(),
  }),
})

export async function startBoard(options: Parameters<typeof startTestServer>[1] = {}) {
  const server = await startTestServer(schema, options)
  const clients: Array<{ dispose(): Promise<void> }> = []
  const tandem = (name: string, kind: 'human' | 'agent' = 'human', runId?: string) => {
    const client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind, name }, runId })
    clients.push(client)
    return client
  }
  let agents = 0
  const handler = mcpHttpHandler({ client: () => tandem(`mcp agent ${++agents}`, 'agent', `mcp-run-${agents}`) })
  const http = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => (http.listening ? resolve() : http.once('listening', () => resolve())))
  const mcpUrl = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`)
  const mcpClients: Client[] = []
  /** An MCP client of the SDK, connected over streamable HTTP. */
  const agent = async (name: string) => {
    const client = new Client({ name, version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(mcpUrl))
    mcpClients.push(client)
    return client
  }
  return {
    server,
    handler,
    mcpUrl,
    tandem,
    agent,
    async [Symbol.asyncDispose]() {
      await Promise.all(mcpClients.map((c) => c.close().catch(() => undefined)))
      await handler.close()
      // An MCP client keeps its event stream open: end it rather than wait for it.
      ;(http as { closeAllConnections?(): void }).closeAllConnections?.()
      await new Promise((resolve) => http.close(resolve))
      await Promise.all(clients.map((c) => c.dispose()))
      await server.close()
    },
  }
}

/** Call a tool and return its structured result; throws with the tool's error when it failed. */
export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = await client.callTool({ name, arguments: args })
  if (result.isError) throw Object.assign(new Error(`${name} failed: ${JSON.stringify(result.content)}`), { result: result.structuredContent })
  return result.structuredContent
}
