/** @module What a server started inside a worker thread reports back. */

export type ServerKind = 'tandem' | 'relay' | 'http-sqlite' | 'ws-snapshot'

export interface ServerRequest {
  kind: ServerKind
  /** SQLite file the server uses (tandem, http-sqlite, ws-snapshot). */
  dbPath?: string
  /** Tandem only: override the default `limits.maxBufferedBytes` (16 MiB). */
  maxBufferedBytes?: number
}

export interface StartedServer {
  url: string
  /** Tandem only. */
  secretKey?: string
  close(): Promise<void>
}
