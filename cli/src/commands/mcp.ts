/** @module `tandem mcp`: the schema's models as an MCP server for agents (stdio, or streamable HTTP with --http). */
import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createMcpServer, mcpHttpHandler, releaseAndDispose } from '@tandem/agents/mcp'
import Tandem from '@tandem/core'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { parseCommand } from '../command-parser.ts'
import { mcpSpec } from '../command-spec.ts'
import { loadSchema } from '../load-schema.ts'
import { closeOnSignals } from '../options.ts'

export async function mcpCommand(argv: string[]): Promise<number | void> {
  const args = parseCommand(mcpSpec, argv)
  if (!args) return 0
  const values = args.values as { schema?: string; url?: string; name?: string; 'run-id'?: string; http?: boolean; port?: string; host?: string }
  const schema = await loadSchema(values.schema)
  const baseURL = values.url ?? process.env['TANDEM_URL'] ?? 'http://127.0.0.1:7878'
  const name = values.name ?? 'mcp agent'
  const client = () => Tandem({ schema, baseURL, participant: { kind: 'agent', name }, runId: values['run-id'] ?? `mcp:${randomUUID()}` })
  if (!values.http) {
    // stdout is the MCP channel here: anything else goes to stderr.
    const tandem = client()
    await createMcpServer(tandem).connect(new StdioServerTransport())
    // The MCP client ends the session by closing stdin (then signals): give the claims back either way.
    const end = () => void releaseAndDispose(tandem).finally(() => process.exit(0))
    process.stdin.once('end', end)
    process.once('SIGTERM', end)
    process.once('SIGINT', end)
    return
  }
  const portText = values.port ?? process.env['TANDEM_MCP_PORT'] ?? '7879'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535 (got "${portText}")`)
  const handler = mcpHttpHandler({ client })
  const http = serve({
    port,
    hostname: values.host ?? '127.0.0.1',
    fetch: (request) => (new URL(request.url).pathname === '/mcp' ? handler(request) : new Response('Not found: the MCP endpoint is /mcp', { status: 404 })),
  })
  http.once('listening', () => {
    const address = http.address()
    const actual = typeof address === 'object' && address ? address.port : port
    console.log(`Tandem MCP server listening on http://${values.host ?? '127.0.0.1'}:${actual}/mcp (Tandem at ${baseURL})`)
  })
  closeOnSignals(async () => {
    await handler.close()
    ;(http as Server).closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  })
}
