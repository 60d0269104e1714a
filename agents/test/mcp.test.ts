import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { call, startBoard } from './fixtures.ts'

describe('tandem over MCP (streamable HTTP, the SDK client)', () => {
  it('lists a tool per model verb with input schemas from the zod schema, and a resource per model', async () => {
    await using board = await startBoard()
    const agent = await board.agent('inspector')
    const { tools } = await agent.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        ...['claim', 'claim_state', 'create', 'delete', 'list', 'release', 'retrieve', 'update'].map((verb) => `tasks_${verb}`),
        'run_changes',
        'run_revert',
        'presence_list',
        'presence_set_intent',
        'presence_clear_intent',
      ].sort(),
    )
    const create = tools.find((t) => t.name === 'tasks_create')!
    const data = (create.inputSchema.properties as Record<string, any>)['data']
    expect(data.properties.status.enum).toEqual(['todo', 'doing', 'done'])
    expect(data.required).toContain('title')
    const update = tools.find((t) => t.name === 'tasks_update')!
    expect(update.inputSchema.required).toEqual(expect.arrayContaining(['id', 'data', 'readAt']))
    expect(tools.find((t) => t.name === 'tasks_list')!.annotations?.readOnlyHint).toBe(true)
    expect(tools.find((t) => t.name === 'tasks_delete')!.annotations?.destructiveHint).toBe(true)
    const setIntent = tools.find((t) => t.name === 'presence_set_intent')!
    expect((setIntent.inputSchema.properties as Record<string, any>)['model'].enum).toEqual(['tasks'])
    expect(setIntent.inputSchema.required).toEqual(expect.arrayContaining(['model', 'id']))

    const human = board.tandem('Ada')
    await human.tasks.create({ data: { title: 'Seen as a resource' } })
    const { resources } = await agent.listResources()
    expect(resources.map((r) => r.uri)).toEqual(['tandem://models/tasks'])
    const resource = await agent.readResource({ uri: 'tandem://models/tasks' })
    const read = JSON.parse((resource.contents[0] as { text: string }).text)
    expect(read.rows[0].title).toBe('Seen as a resource')
  })

  it('two agents and a person increment one counter under claims: every increment lands, the person sees the agents hold it and sees their presence', async () => {
    await using board = await startBoard()
    const human = board.tandem('Ada')
    await human.ready()
    const row = await human.tasks.create({ data: { title: 'Shared counter' } })
    const [a, b] = await Promise.all([board.agent('agent-a'), board.agent('agent-b')])

    // Presence first: each agent says what it is about to do; the person sees both, as agents, on the row.
    await call(a, 'presence_set_intent', { model: 'tasks', id: row.id, field: 'count', action: 'planning an increment' })
    await call(b, 'presence_set_intent', { model: 'tasks', id: row.id, action: 'reading the counter' })
    const onRow = human.presence.others({ model: 'tasks', id: row.id })
    await until(human, () => onRow.get().length === 2)
    expect(
      onRow
        .get()
        .map((e) => ({ kind: e.participant.kind, name: e.participant.name, intent: e.intent }))
        .sort((x, y) => x.name!.localeCompare(y.name!)),
    ).toEqual([
      { kind: 'agent', name: 'mcp agent 1', intent: { model: 'tasks', id: row.id, field: 'count', action: 'planning an increment' } },
      { kind: 'agent', name: 'mcp agent 2', intent: { model: 'tasks', id: row.id, action: 'reading the counter' } },
    ])
    // An agent sees the person and the other agent too.
    const seenByA = await call(a, 'presence_list', {})
    expect(seenByA.entries.map((e: { participant: { name: string }; self: boolean }) => `${e.participant.name}${e.self ? ' (self)' : ''}`).sort()).toEqual([
      'Ada',
      'mcp agent 1 (self)',
      'mcp agent 2',
    ])

    const seenAgentHolders = new Set<string>()
    const seenClaimingIntents = new Set<string>()
    const stopClaims = human.subscribe(
      (t) => t.tasks.claim.state({ id: row.id }),
      (holder) => {
        if (holder?.heldBy.kind === 'agent') seenAgentHolders.add(holder.heldBy.name ?? holder.heldBy.id)
      },
    )
    // Claiming through MCP sets the agent's intent to the claim's action: the person sees who is incrementing.
    const stopPresence = onRow.listen((entries) => {
      for (const e of entries) if (e.participant.kind === 'agent' && e.intent?.action === 'incrementing') seenClaimingIntents.add(e.participant.name!)
    })
    const agentLoop = async (agent: typeof a, rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        const granted = await call(agent, 'tasks_claim', { id: row.id, action: 'incrementing' })
        await call(agent, 'tasks_update', { id: row.id, data: { count: granted.data.count + 1 }, readAt: granted.readAt })
        await call(agent, 'tasks_release', { id: row.id })
      }
    }
    const humanLoop = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        await using claim = await human.tasks.claim({ id: row.id, action: 'typing' })
        await human.tasks.update({ id: row.id, data: { count: claim.data.count + 1 } })
      }
    }
    await Promise.all([agentLoop(a, 6), agentLoop(b, 6), humanLoop(3)])
    stopClaims()

    const final = await call(a, 'tasks_retrieve', { id: row.id })
    expect(final.row.count).toBe(15)
    expect(final.readAt).toBe(final.row.syncId)
    expect(seenAgentHolders.size).toBe(2)
    // Each agent showed its claim as its intent; releasing cleared it.
    await until(human, () => seenClaimingIntents.size === 2 && onRow.get().length === 0)
    stopPresence()
    expect(
      human.presence
        .others()
        .get()
        .map((e) => e.participant.kind),
    ).toEqual(['agent', 'agent'])
    await call(a, 'presence_clear_intent', {})
    // Ending an MCP session ends its presence.
    await (a.transport as StreamableHTTPClientTransport).terminateSession()
    await until(human, () => human.presence.others().get().length === 1)
  })

  it('a write the person got in first comes back as stale_context, and nothing is overwritten', async () => {
    await using board = await startBoard()
    const human = board.tandem('Ada')
    const row = await human.tasks.create({ data: { title: 'Draft' } })
    const agent = await board.agent('writer')
    const read = await call(agent, 'tasks_retrieve', { id: row.id })
    await human.tasks.update({ id: row.id, data: { title: 'Edited by Ada' } })
    const refused = await agent.callTool({ name: 'tasks_update', arguments: { id: row.id, data: { title: 'Agent title' }, readAt: read.readAt } })
    expect(refused.isError).toBe(true)
    expect(refused.structuredContent).toMatchObject({ error: { type: 'TandemStaleContextError', code: 'stale_context' } })
    expect((await human.tasks.retrieve({ id: row.id }))!.title).toBe('Edited by Ada')
  })

  it("a claimed row refuses the other agent's write with entity_claimed; a bad input is refused by the schema", async () => {
    await using board = await startBoard()
    const human = board.tandem('Ada')
    const row = await human.tasks.create({ data: { title: 'Busy' } })
    const [a, b] = await Promise.all([board.agent('a'), board.agent('b')])
    const granted = await call(a, 'tasks_claim', { id: row.id, action: 'thinking' })
    const blocked = await b.callTool({ name: 'tasks_update', arguments: { id: row.id, data: { title: 'B' }, readAt: granted.readAt } })
    expect(blocked.structuredContent).toMatchObject({ error: { code: 'entity_claimed' } })
    const noWait = await b.callTool({ name: 'tasks_claim', arguments: { id: row.id, wait: false } })
    expect(noWait.structuredContent).toMatchObject({ error: { code: 'entity_claimed' } })
    const state = await call(b, 'tasks_claim_state', { id: row.id })
    expect(state.holder).toMatchObject({ action: 'thinking', heldBy: { kind: 'agent' } })

    const invalid = await b.callTool({ name: 'tasks_create', arguments: { data: { title: '', status: 'maybe' } } })
    expect(invalid.isError).toBe(true)
    expect(JSON.stringify(invalid.content)).toMatch(/status|title/)
  })

  it('ending an MCP session gives its claims back at once, and an unknown session id is refused', async () => {
    // A grace longer than the wait below: only an explicit release can free the row in time.
    await using board = await startBoard({ claims: { disconnectGraceMs: 120_000 } })
    const human = board.tandem('Ada')
    const row = await human.tasks.create({ data: { title: 'Held by a session' } })
    const agent = await board.agent('leaver')
    await call(agent, 'tasks_claim', { id: row.id })
    await until(human, (t) => t.tasks.claim.state({ id: row.id })?.heldBy.kind === 'agent')
    expect(board.handler.sessions).toBe(1)
    await (agent.transport as StreamableHTTPClientTransport).terminateSession()
    await until(human, (t) => t.tasks.claim.state({ id: row.id }) === null)
    expect(board.handler.sessions).toBe(0)

    const stray = await fetch(board.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 'no-such-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(stray.status).toBe(404)
    const noSession = await fetch(board.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(noSession.status).toBe(400)
    expect(board.handler.sessions).toBe(0)
  })

  it("an agent's session is a run: it lists its changes and reverts them, except the row a person changed since", async () => {
    await using board = await startBoard()
    const human = board.tandem('Ada')
    const agent = await board.agent('reverter')
    const rows = []
    for (const title of ['One', 'Two', 'Three']) rows.push(await call(agent, 'tasks_create', { data: { title } }))
    for (const row of rows) await call(agent, 'tasks_update', { id: row.id, data: { status: 'done' }, readAt: row.syncId })
    await human.tasks.update({ id: rows[1].id, data: { status: 'doing' } })

    const changes = await call(agent, 'run_changes', {})
    expect(changes.data).toHaveLength(6)
    const reverted = await call(agent, 'run_revert', {})
    // The run created that row and a person edited it since: it stays, reported.
    expect(reverted.conflicts).toEqual([expect.objectContaining({ model: 'tasks', id: rows[1].id, reason: 'overwritten' })])
    expect(await human.tasks.retrieve({ id: rows[0].id })).toBeNull()
    expect(await human.tasks.retrieve({ id: rows[2].id })).toBeNull()
    expect(await human.tasks.retrieve({ id: rows[1].id })).toMatchObject({ status: 'doing' })
  })
})
