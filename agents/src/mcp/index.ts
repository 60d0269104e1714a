/** @module `@tandem/agents/mcp`: a Tandem schema's models as an MCP server (stdio or streamable HTTP). */
export { createMcpServer, releaseAndDispose, type TandemMcpOptions } from './mcp-server.ts'
export { mcpHttpHandler, type McpHttpOptions, type McpHttpHandler } from './mcp-http.ts'
export { modelTools, type ModelToolsOptions } from '../model-tools.ts'
export { presenceTools } from '../presence-tools.ts'
export type { AgentTool, ToolFailure } from '../agent-tool.ts'
