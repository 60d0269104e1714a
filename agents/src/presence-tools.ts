/** @module Presence as agent tools: see who is connected and what they look at, say what you look at or intend. */
import { z, type Schema, type TandemClient } from '@tandem/core'
import type { AgentTool } from './agent-tool.ts'

/** `presence_list`, `presence_set_intent`, `presence_clear_intent` over `tandem.presence`. */
export function presenceTools<S extends Schema>(tandem: TandemClient<S>): AgentTool[] {
  const models = tandem.schema.modelNames as [string, ...string[]]
  return [
    {
      name: 'presence_list',
      model: '',
      verb: 'presence_list',
      title: 'Who is here',
      description:
        'Everyone connected that you may see (people and agents), with what each looks at or intends (intent: { model, id, field?, action? } or null). Your own entry has self: true. Give model and id to list only those on that row. Advisory: use a claim to keep others from writing.',
      input: z.object({
        model: z.enum(models).optional(),
        id: z.string().optional().describe('With model: only entries whose intent is on this row.'),
      }),
      readOnly: true,
      destructive: false,
      async run({ model, id }) {
        await tandem.ready()
        const entries = tandem.presence.list.get()
        const onRow = model !== undefined && id !== undefined ? entries.filter((e) => e.intent?.model === model && e.intent.id === id) : entries
        return { entries: [...onRow] }
      },
    },
    {
      name: 'presence_set_intent',
      model: '',
      verb: 'presence_set_intent',
      title: 'Say what you are working on',
      description:
        'Show others which row (and field) you are looking at or about to change, and why (action, e.g. "drafting a reply"). Replaces your previous intent; cleared when your session ends. Claiming a row sets it for you.',
      input: z.object({
        model: z.enum(models),
        id: z.string().min(1).max(128),
        field: z.string().optional(),
        action: z.string().max(200).optional().describe('What you are doing, shown to others (at most 200 characters).'),
      }),
      readOnly: false,
      destructive: false,
      async run({ model, id, field, action }) {
        const intent = {
          model: model as string,
          id: id as string,
          ...(field !== undefined ? { field: field as string } : {}),
          ...(action !== undefined ? { action: action as string } : {}),
        }
        tandem.presence.setIntent(intent)
        return { intent }
      },
    },
    {
      name: 'presence_clear_intent',
      model: '',
      verb: 'presence_clear_intent',
      title: 'Clear your intent',
      description: 'Stop showing others a row you were working on (your presence stays).',
      input: z.object({}),
      readOnly: false,
      destructive: false,
      async run() {
        tandem.presence.clearIntent()
        return { intent: null }
      },
    },
  ]
}
