import Tandem from '@tandem/core'
import { startTestServer, until } from '@tandem/core/testing'
import type { LanguageModelV3CallOptions, LanguageModelV3Content } from '@ai-sdk/provider'
import { generateText, stepCountIs } from 'ai'
import { MockLanguageModelV3 } from 'ai/test'
import { describe, expect, it } from 'vitest'
import { tandemTools } from '@tandem/agents/ai'
import { schema } from './fixtures.ts'

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
}

/** A scripted model: step N turns the prompt so far (with earlier tool results) into the next tool calls or text. */
function scriptedModel(steps: Array<(results: unknown[]) => LanguageModelV3Content[]>) {
  let step = 0
  return new MockLanguageModelV3({
    doGenerate: async (options: LanguageModelV3CallOptions) => {
      const results = options.prompt
        .filter((m) => m.role === 'tool')
        .flatMap((m) => m.content)
        .map((part) => (part.type === 'tool-result' && part.output.type === 'json' ? part.output.value : undefined))
      const content = steps[step++]?.(results) ?? [{ type: 'text', text: 'done' }]
      const calls = content.some((c) => c.type === 'tool-call')
      return { content, finishReason: { unified: calls ? 'tool-calls' : 'stop', raw: undefined }, usage, warnings: [] }
    },
  })
}

const callTool = (toolName: string, input: unknown): LanguageModelV3Content => ({
  type: 'tool-call',
  toolCallId: `call-${toolName}-${Math.random()}`,
  toolName,
  input: JSON.stringify(input),
})

async function board() {
  const server = await startTestServer(schema)
  const human = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'human', name: 'Ada' } })
  const agent = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'agent', name: 'planner' } })
  await Promise.all([human.ready(), agent.ready()])
  return {
    server,
    human,
    agent,
    async [Symbol.asyncDispose]() {
      await Promise.all([human.dispose(), agent.dispose()])
      await server.close()
    },
  }
}

describe('AI SDK tools (tandemTools) with a mock language model', () => {
  it('reads, then writes under a claim the person can see, typed by the schema', async () => {
    await using b = await board()
    const row = await b.human.tasks.create({ data: { title: 'Plan the launch' } })
    const seen: string[] = []
    const stop = b.human.subscribe(
      (t) => t.tasks.claim.state({ id: row.id }),
      (holder) => holder && seen.push(`${holder.heldBy.kind}:${holder.action}`),
    )
    const tools = tandemTools(b.agent, { action: 'planning', runId: 'launch-plan-1' })
    const result = await generateText({
      model: scriptedModel([
        () => [callTool('tasks_list', { where: { status: 'todo' } })],
        ([listed]) => {
          const first = (listed as { rows: Array<{ id: string; syncId: number }> }).rows[0]!
          return [callTool('tasks_update', { id: first.id, data: { status: 'doing', notes: 'Drafted by the agent' }, readAt: first.syncId })]
        },
      ]),
      tools,
      stopWhen: stepCountIs(5),
      prompt: 'Start the first todo task',
    })
    stop()
    expect(result.text).toBe('done')
    const updated = await b.human.tasks.retrieve({ id: row.id })
    expect(updated).toMatchObject({ status: 'doing', notes: 'Drafted by the agent' })
    expect(seen).toContain('agent:planning')
    // The write carries the run id: the run can be listed (and reverted) later.
    const run = await b.human.runs.list('launch-plan-1')
    expect(run.data.map((c) => c.changes.map((ch) => ch.id))).toEqual([[row.id]])
    await until(b.human, (t) => t.tasks.claim.state({ id: row.id }) === null)
  })

  it('a refusal reaches the model as a tool result it can act on (stale_context, then grant_timeout while a person holds the row)', async () => {
    await using b = await board()
    const row = await b.human.tasks.create({ data: { title: 'Contested' } })
    const staleAt = row.syncId
    await b.human.tasks.update({ id: row.id, data: { title: 'Changed by Ada' } })
    const tools = tandemTools(b.agent, { claimTimeoutMs: 300 })
    const outputs: unknown[] = []
    await generateText({
      model: scriptedModel([
        () => [callTool('tasks_update', { id: row.id, data: { title: 'Agent title' }, readAt: staleAt })],
        (results) => {
          outputs.push(results.at(-1))
          return [callTool('tasks_retrieve', { id: row.id })]
        },
      ]),
      tools,
      stopWhen: stepCountIs(4),
      prompt: 'Rename the task',
    })
    expect(outputs[0]).toMatchObject({ error: { code: 'stale_context', type: 'TandemStaleContextError' } })
    expect((await b.human.tasks.retrieve({ id: row.id }))!.title).toBe('Changed by Ada')

    await using _held = await b.human.tasks.claim({ id: row.id, action: 'typing' })
    const fresh = (await b.agent.tasks.retrieve({ id: row.id }))!
    const timedOut = await (tools['tasks_update']!.execute as (input: unknown, options: unknown) => Promise<unknown>)(
      { id: row.id, data: { title: 'Agent title' }, readAt: fresh.syncId },
      { toolCallId: 'direct', messages: [] },
    )
    expect(timedOut).toMatchObject({ error: { code: 'grant_timeout', retryable: true } })
  })

  it('claimWrites: false writes without a claim; readOnly leaves the write tools out; an unknown model is refused', async () => {
    await using b = await board()
    expect(Object.keys(tandemTools(b.agent, { readOnly: true })).sort()).toEqual([
      'tasks_claim',
      'tasks_claim_state',
      'tasks_list',
      'tasks_release',
      'tasks_retrieve',
    ])
    expect(() => tandemTools(b.agent, { models: ['nope'] })).toThrow(/no model "nope"/)
    const row = await b.human.tasks.create({ data: { title: 'Unclaimed write' } })
    const tools = tandemTools(b.agent, { claimWrites: false })
    const out = await (tools['tasks_update']!.execute as (input: unknown, options: unknown) => Promise<unknown>)(
      { id: row.id, data: { count: 3 }, readAt: row.syncId },
      { toolCallId: 'direct', messages: [] },
    )
    expect(out).toMatchObject({ id: row.id, count: 3 })
  })
})
