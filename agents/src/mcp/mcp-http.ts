/** @module Streamable HTTP for MCP: one Tandem client (and so one holder of claims) per MCP session. */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { Schema, TandemClient } from '@tandem/core'
import { createMcpServer, releaseAndDispose, type TandemMcpOptions } from './mcp-server.ts'

export interface McpHttpOptions<S extends Schema> extends TandemMcpOptions {
  /** Makes the Tandem client of a new MCP session; it is disposed (its claims given back) when the session ends. */
  client: () => TandemClient<S>
  /** Close a session after this long without a request (default 30 min): MCP clients do not always say goodbye. */
  idleTimeoutMs?: number
}

export interface McpHttpHandler {
  /** Answer one request to the MCP endpoint (POST, GET for the event stream, DELETE to end a session). */
  (request: Request): Promise<Response>
  /** Sessions open now. */
  readonly sessions: number
  /** End every session. */
  close(): Promise<void>
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport
  end(): Promise<void>
  touch(): void
}

function jsonRpcError(status: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status })
}

/**
 * A fetch-style handler for the MCP streamable HTTP transport: mount it on any server
 * (`app.all('/mcp', (c) => handler(c.req.raw))` in Hono). Each MCP session gets its own Tandem
 * client, so two agents behind one endpoint are two participants whose claims serialize them.
 */
export function mcpHttpHandler<S extends Schema>(options: McpHttpOptions<S>): McpHttpHandler {
  const sessions = new Map<string, Session>()
  const idleMs = options.idleTimeoutMs ?? 30 * 60_000

  function open(): Session {
    const tandem = options.client()
    let timer: ReturnType<typeof setTimeout> | undefined
    let ended = false
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, session),
      onsessionclosed: () => session.end(),
    })
    const server = createMcpServer(tandem, options)
    const session: Session = {
      transport,
      async end() {
        if (ended) return
        ended = true
        clearTimeout(timer)
        if (transport.sessionId) sessions.delete(transport.sessionId)
        await server.close().catch(() => undefined)
        await releaseAndDispose(tandem)
      },
      touch() {
        clearTimeout(timer)
        timer = setTimeout(() => void session.end(), idleMs)
        timer.unref?.()
      },
    }
    void server.connect(transport)
    return session
  }

  const handler = async (request: Request): Promise<Response> => {
    const id = request.headers.get('mcp-session-id')
    if (id) {
      const session = sessions.get(id)
      if (!session) return jsonRpcError(404, `Unknown or ended MCP session "${id}": start a new one with initialize`)
      session.touch()
      return session.transport.handleRequest(request)
    }
    if (request.method !== 'POST') return jsonRpcError(400, 'No mcp-session-id header: start a session with an initialize POST')
    const session = open()
    const response = await session.transport.handleRequest(request)
    // Not an initialize request: the transport refused it and no session exists to keep.
    if (!session.transport.sessionId) await session.end()
    else session.touch()
    return response
  }
  Object.defineProperty(handler, 'sessions', { get: () => sessions.size })
  return Object.assign(handler, {
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.end()))
    },
  }) as McpHttpHandler
}
