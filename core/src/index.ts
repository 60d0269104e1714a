/**
 * @module `@tandem/core`: the client. `import Tandem from '@tandem/core'`.
 * Browser-safe: never imports the server or Node built-ins.
 */
import { Tandem } from './client/tandem.ts'

export default Tandem
export { Tandem }
export { shallowEqual } from './client/reactive.ts'
export type * from './client/types.ts'
export * from './errors/index.ts'
export { defineSchema, model, z } from './schema/index.ts'
export type { Schema, ModelDef, RowOf, CreateInputOf, UpdateInputOf, AnyRow, Where, OrderBy } from './schema/index.ts'
export type { ClaimState, ClaimTarget } from './protocol/index.ts'
export type { Transport, TransportConnection, TransportHandlers, TransportCloseEvent } from './transport/transport.ts'
export { websocketTransport } from './transport/websocket-transport.ts'
export { httpTransport } from './transport/http-transport.ts'
export type { LogEntry, Change, Actor, CommitResult, OnStale } from './protocol/index.ts'
