/** @module One MCP server over one Tandem client: the schema's models as tools and resources. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Schema, TandemClient } from '@tandem/core'
import { runTool, type AgentTool } from '../agent-tool.ts'
import { modelTools, type ModelToolsOptions } from '../model-tools.ts'
import { presenceTools } from '../presence-tools.ts'

export interface TandemMcpOptions extends ModelToolsOptions {
  /** Shown to MCP clients (default "tandem"). */
  name?: string
  /** Extra tools, e.g. your own built with the same {@link AgentTool} shape. */
  tools?: readonly AgentTool[]
}

const version = '0.1.0'
const resourceRows = 500

function asResult(outcome: Awaited<ReturnType<typeof runTool>>): CallToolResult {
  const value = outcome.ok ? outcome.result : outcome.failure
  const structured = (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value }) as Record<string, unknown>
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: structured, isError: !outcome.ok }
}

/**
 * An MCP server exposing `tandem`'s models: a tool per verb (see {@link modelTools}), the presence tools
 * `presence_list|presence_set_intent|presence_clear_intent` (see {@link presenceTools}), and a
 * resource per model (`tandem://models/<model>`, the rows this client can see). Connect it to a
 * transport (`server.connect(new StdioServerTransport())`), or use {@link mcpHttpHandler}.
 */
export function createMcpServer<S extends Schema>(tandem: TandemClient<S>, options: TandemMcpOptions = {}): McpServer {
  const server = new McpServer({ name: options.name ?? 'tandem', version })
  for (const tool of [...modelTools(tandem, options), ...presenceTools(tandem), ...(options.tools ?? [])]) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly, destructiveHint: tool.destructive, openWorldHint: false },
      },
      async (input: Record<string, unknown>) => asResult(await runTool(tool, input)),
    )
  }
  const client = tandem as unknown as Record<string, { list(args: { limit: number }): Promise<unknown[] & { hasMore: boolean }> }>
  for (const name of options.models ?? tandem.schema.modelNames) {
    const uri = `tandem://models/${name}`
    const description = `The first ${resourceRows} ${name} rows this session can see, as JSON (page further with ${name}_list).`
    server.registerResource(name, uri, { title: `${name} rows`, description, mimeType: 'application/json' }, async () => {
      const rows = await client[name]!.list({ limit: resourceRows })
      const text = JSON.stringify({ rows: [...rows], hasMore: rows.hasMore, syncId: tandem.cursor() })
      return { contents: [{ uri, mimeType: 'application/json', text }] }
    })
  }
  return server
}

/** End an agent's Tandem client: give its claims back first (a dropped connection would hold them through the server's disconnect grace). */
export async function releaseAndDispose<S extends Schema>(tandem: TandemClient<S>): Promise<void> {
  await Promise.all(tandem.ownClaims.get().map((c) => c.handle?.release().catch(() => undefined)))
  await tandem.dispose()
}
