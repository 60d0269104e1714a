import { join, resolve } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import Tandem from '@tandem/core'
import { spawnProcess, startTestServer, until } from '@tandem/core/testing'
import { schema } from 'tandem/demo-schema'
import { describe, expect, it } from 'vitest'

const bin = join(resolve(import.meta.dirname, '../..'), 'cli/src/bin.ts')

async function structured(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = await client.callTool({ name, arguments: args })
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy()
  return result.structuredContent
}

describe('tandem mcp', () => {
  it('over stdio: an MCP client starts the command, writes and claims as a named agent; closing it gives the claim back', async () => {
    // A grace longer than the wait below: only an explicit release frees the row in time.
    await using server = await startTestServer(schema, { claims: { disconnectGraceMs: 120_000 } })
    const human = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    const agent = new Client({ name: 'stdio-test', version: '1.0.0' })
    try {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['--conditions=@tandem/source', bin, 'mcp', '--url', server.url, '--name', 'Claude'],
        env: { ...(process.env as Record<string, string>), TANDEM_API_KEY: server.secretKey },
        stderr: 'pipe',
      })
      await agent.connect(transport)
      const created = await structured(agent, 'tasks_create', { data: { title: 'Written over stdio' } })
      await until(human, (t) => t.tasks.get(created.id))
      await structured(agent, 'tasks_claim', { id: created.id, action: 'summarising' })
      const holder = await until(human, (t) => t.tasks.claim.state({ id: created.id }))
      expect(holder).toMatchObject({ action: 'summarising', heldBy: { kind: 'agent', name: 'Claude' } })
      await agent.close()
      await until(human, (t) => t.tasks.claim.state({ id: created.id }) === null)
    } finally {
      await agent.close().catch(() => undefined)
      await human.dispose()
    }
  })

  it('over streamable HTTP (--http): one participant per session, and --help exits 0', async () => {
    await using server = await startTestServer(schema)
    const mcp = await spawnProcess([bin, 'mcp', '--http', '--port', '0', '--url', server.url], { env: { TANDEM_API_KEY: server.secretKey } })
    const agent = new Client({ name: 'http-test', version: '1.0.0' })
    try {
      await agent.connect(new StreamableHTTPClientTransport(new URL(`${mcp.url}/mcp`)))
      const { tools } = await agent.listTools()
      expect(tools.map((t) => t.name)).toContain('tasks_update')
      const created = await structured(agent, 'tasks_create', { data: { title: 'Written over HTTP' } })
      const listed = await structured(agent, 'tasks_list', {})
      expect(listed.rows.map((r: { id: string }) => r.id)).toContain(created.id)
      expect((await fetch(`${mcp.url}/elsewhere`)).status).toBe(404)
    } finally {
      await agent.close().catch(() => undefined)
      await mcp.kill()
    }
    const help = await spawnHelp()
    expect(help).toMatch(/tandem mcp/)
    expect(help).toMatch(/TANDEM_API_KEY/)
  })
})

async function spawnHelp(): Promise<string> {
  const { execFile } = await import('node:child_process')
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--conditions=@tandem/source', bin, 'mcp', '--help'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  )
}
