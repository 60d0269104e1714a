/** @module `ClientInternals`: what the model verbs need from the client (a file of its own, so neither imports the other). */
import type { ClaimMethod, CommitResult, ReadMethod } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { ClaimsClient } from './claims-client.ts'
import type { ClientOperation, LocalGraph } from './local-graph.ts'

/** What model verbs need from the client. */
export interface ClientInternals {
  schema: Schema
  graph: LocalGraph
  claims: ClaimsClient
  /** Apply ops locally and queue them (recorded for `undo()`); resolves with the server's result. */
  write(
    operations: ClientOperation[],
    idempotencyKey: string | undefined,
    claimToken?: string,
    runId?: string,
  ): { txId: string; queued: Promise<void>; confirmed: Promise<CommitResult> }
  read(method: ReadMethod, params: Record<string, unknown>): Promise<unknown>
  /** An HTTP request to the API with the client's credential (refreshed once on a 401). */
  http(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>
  /** Request over the connection, waiting for it to be live. */
  rpc(method: ClaimMethod, params: unknown): Promise<unknown>
}
