/** @module The one tool description both the MCP server and the AI SDK helpers are built from. */
import { TandemError, z } from '@tandem/core'

/** A tool over a Tandem client, independent of MCP and of the AI SDK. */
export interface AgentTool {
  /** `<model>_<verb>` (MCP and most LLM APIs allow only `[a-zA-Z0-9_-]`). */
  readonly name: string
  /** The model it works on, and the verb (`list`, `update`, `claim`, …). */
  readonly model: string
  readonly verb: string
  readonly title: string
  readonly description: string
  readonly input: z.ZodObject
  /** Hints MCP clients show (read-only tools may run without asking). */
  readonly readOnly: boolean
  readonly destructive: boolean
  run(input: Record<string, unknown>): Promise<unknown>
}

/** What a tool returns when Tandem refused: the HTTP error envelope, so an agent can act on `code`. */
export interface ToolFailure {
  error: { type: string; code: string; message: string; retryable: boolean; param?: string; details?: unknown }
}

export function toolFailure(error: unknown): ToolFailure {
  if (error instanceof TandemError) return { error: { ...error.toJSON(), retryable: error.retryable } }
  const message = error instanceof Error ? error.message : String(error)
  return { error: { type: 'TandemError', code: 'internal_error', message, retryable: false } }
}

/** Run a tool; a Tandem refusal becomes a {@link ToolFailure} instead of a throw. */
export async function runTool(tool: AgentTool, input: Record<string, unknown>): Promise<{ ok: true; result: unknown } | { ok: false; failure: ToolFailure }> {
  try {
    return { ok: true, result: await tool.run(input) }
  } catch (error) {
    return { ok: false, failure: toolFailure(error) }
  }
}
