/** @module `ServerPlugin`: how extensions (webhooks, metrics, …) mount into the server without core importing them. */
import type { Hono } from 'hono'
import type { LogEntry } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { Authenticator } from './session.ts'
import type { Store } from './store.ts'

export interface PluginContext {
  schema: Schema
  store: Store
  /** The server's Hono app: plugins add routes under their own prefix. */
  app: Hono
  authenticate: Authenticator
  /** Called after every committed batch, in log order. */
  onCommit(listener: (entries: LogEntry[]) => void): () => void
}

/**
 * A server extension.
 * @example
 * const audit: ServerPlugin = { name: 'audit', setup(ctx) { ctx.onCommit((e) => console.log(e.length)) } }
 */
export interface ServerPlugin {
  name: string
  setup(context: PluginContext): void | Promise<void>
  close?(): void | Promise<void>
}
