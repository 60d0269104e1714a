/** @module What a server started inside a worker thread (or a child process) is asked to be, and reports back. */

export type ServerKind = 'tandem' | 'relay' | 'ws-durable' | 'http-sqlite' | 'ws-snapshot'

/** Which store a Tandem server uses (and which source a `ws-snapshot` baseline reads). */
export type StoreKind = 'sqlite' | 'memory' | 'postgres'

export interface ServerRequest {
  kind: ServerKind
  /** SQLite file the server uses (tandem and ws-snapshot on sqlite, http-sqlite, ws-durable). */
  dbPath?: string
  /** Tandem only: mount `webhooks({ allowPrivateUrls: true })` (the bench's receivers are on 127.0.0.1). */
  webhooks?: boolean
  /** Tandem only: override the default `limits.maxBufferedBytes` (16 MiB). */
  maxBufferedBytes?: number
  /** Tandem on sqlite: `sqliteStore`'s durability (default `full`). */
  durability?: 'full' | 'process'
  /** Tandem and ws-snapshot: the store / source (default sqlite). */
  store?: StoreKind
  /** Postgres connection URL (store `postgres`). */
  databaseUrl?: string
  /**
   * ws-snapshot only: what one connection receives. `rows` (default): every
   * row of `tasks`. `log`: every log entry after `?after=N` of the socket URL.
   */
  snapshot?: 'rows' | 'log'
  /** ws-snapshot with store `memory`: how many rows it holds (made like the bench's seeded rows). */
  rows?: number
}

export interface StartedServer {
  url: string
  /** Tandem only. */
  secretKey?: string
  close(): Promise<void>
}
