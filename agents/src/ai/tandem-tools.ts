/** @module AI SDK tools over a Tandem client: typed by the schema's zod shapes, writes under a claim. */
import { tool, type Tool } from 'ai'
import type { Schema, TandemClient } from '@tandem/core'
import { runTool, type AgentTool } from '../agent-tool.ts'
import { modelTools, type ModelToolsOptions } from '../model-tools.ts'

export interface TandemToolsOptions extends ModelToolsOptions {
  /**
   * Default true: `update` and `delete` claim the row first (waiting in line), write, and give the
   * claim back, so a person editing the row is never clobbered and never clobbers the agent. A
   * claim the agent already holds (from `<model>_claim`) is used as it is.
   */
  claimWrites?: boolean
  /** How long a write waits in line for its claim before failing with grant_timeout (default 30 s). */
  claimTimeoutMs?: number
  /** Shown to others while a write holds its claim (default "agent writing"). */
  action?: string
}

type ClaimingApi = { claim(args: Record<string, unknown>): Promise<{ release(): Promise<void> }> }

function holds(tandem: TandemClient<Schema>, model: string, id: string): boolean {
  return tandem.ownClaims.get().some((c) => c.status === 'held' && c.target.model === model && c.target.id === id && c.target.field === undefined)
}

function underClaim(tandem: TandemClient<Schema>, base: AgentTool, options: TandemToolsOptions): AgentTool {
  const api = (tandem as unknown as Record<string, ClaimingApi>)[base.model]!
  return {
    ...base,
    async run(input) {
      const id = input['id'] as string
      if (holds(tandem, base.model, id)) return base.run(input)
      const claim = await api.claim({ id, action: options.action ?? 'agent writing', timeoutMs: options.claimTimeoutMs ?? 30_000 })
      try {
        return await base.run(input)
      } finally {
        await claim.release()
      }
    },
  }
}

/**
 * Tools for `generateText` / `streamText` of the AI SDK, one per model verb
 * (`<model>_list|retrieve|create|update|delete|claim|release|claim_state`), with zod input
 * schemas from your Tandem schema. A refusal comes back to the model as `{ error: { code, … } }`
 * (stale_context, entity_claimed, …) rather than ending the run, so it can re-read and retry.
 */
export function tandemTools<S extends Schema>(tandem: TandemClient<S>, options: TandemToolsOptions = {}): Record<string, Tool> {
  const client = tandem as unknown as TandemClient<Schema>
  const out: Record<string, Tool> = {}
  for (const base of modelTools(tandem, options)) {
    const claimed = options.claimWrites !== false && (base.verb === 'update' || base.verb === 'delete')
    const agentTool = claimed ? underClaim(client, base, options) : base
    out[agentTool.name] = tool({
      description: agentTool.description,
      inputSchema: agentTool.input,
      execute: async (input: Record<string, unknown>) => {
        const outcome = await runTool(agentTool, input)
        return outcome.ok ? outcome.result : outcome.failure
      },
    })
  }
  return out
}
