/**
 * @module The connection lifecycle: credentials, hello, catch-up, status,
 * heartbeats, backoff, and request/response over the transport.
 */
import { atom, type ReadableAtom, type WritableAtom } from 'nanostores'
import { TandemAuthError, TandemConnectionError, type TandemError, errorFromWire } from '../errors/index.ts'
import type { Actor, Participant, RpcMethod } from '../protocol/index.ts'
import { backoffDelay } from '../internal/backoff.ts'
import { deferred, type Deferred } from '../internal/deferred.ts'
import { protocolVersion, type ServerFrame } from '../protocol/index.ts'
import type { Transport, TransportConnection } from '../transport/transport.ts'
import { nextURLIndex } from './base-urls.ts'

export type Status = 'connecting' | 'connected' | 'offline' | 'backoff' | 'auth_blocked'

export interface ConnectionOptions {
  /** The nodes to connect to, tried in turn: a connection that fails or drops moves on to the next. */
  baseURLs: readonly string[]
  transport: Transport
  /** Current credential: a string, `null` when the login is gone; throws when unreachable. */
  credential(): Promise<string | null>
  /** `refused` was refused; return a fresh credential (single-flight), or null. */
  refreshCredential(refused: string | null): Promise<string | null>
  participant: Participant | undefined
  cursor(): number | null
  /** Bootstrap, changes, synced frames. */
  onSyncFrame(frame: ServerFrame): void
  /** Catch-up finished; the connection is live. */
  onLive(): void
  heartbeatMs?: number
  /** Status until `start()`: `'connecting'` when the client starts at once, `'offline'` when it waits to be started. */
  initialStatus?: Status
}

export class Connection {
  readonly #options: ConnectionOptions
  readonly #status: WritableAtom<Status>
  /** The error behind `auth_blocked`; null in every other status. */
  readonly #blockedBy = atom<TandemError | null>(null)
  #actor: Actor | undefined
  #conn: TransportConnection | undefined
  #rpcs = new Map<number, Deferred<unknown>>()
  #nextId = 1
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #heartbeat: ReturnType<typeof setInterval> | undefined
  #lastFrameAt = 0
  #disposed = false
  #authError: TandemError | undefined
  #lastToken: string | null = null
  #refreshTimer: ReturnType<typeof setTimeout> | undefined
  #urlIndex = 0

  constructor(options: ConnectionOptions) {
    this.#options = options
    this.#status = atom<Status>(options.initialStatus ?? 'connecting')
  }

  get status(): ReadableAtom<Status> {
    return this.#status
  }

  /** The URL this client connects to now (the one it will try next while reconnecting). */
  get baseURL(): string {
    return this.#options.baseURLs[this.#urlIndex]!
  }

  get authError(): TandemError | undefined {
    return this.#authError
  }

  /** Reactive: the error behind `auth_blocked`, null otherwise. */
  get blockedBy(): ReadableAtom<TandemError | null> {
    return this.#blockedBy
  }

  /** Who the server says this connection acts as (from its last `welcome`). */
  get actor(): Actor | undefined {
    return this.#actor
  }

  #block(error: TandemError): void {
    this.#authError = error
    this.#blockedBy.set(error)
    this.#status.set('auth_blocked')
  }

  start(): void {
    void this.#open(false)
  }

  async #open(refresh: boolean): Promise<void> {
    if (this.#disposed) return
    this.#status.set('connecting')
    let token: string | null
    try {
      token = refresh ? await this.#options.refreshCredential(this.#lastToken) : await this.#options.credential()
    } catch (error) {
      // An auth error (e.g. no credential configured at all) will not fix itself by retrying.
      if (error instanceof TandemAuthError) return this.#block(error)
      return this.#retryLater()
    }
    if (this.#disposed) return
    if (token === null) {
      // After a refusal with no way to refresh (a fixed key), keep the server's reason.
      this.#block(
        refresh && this.#authError ? this.#authError : new TandemAuthError({ code: 'session_expired', message: 'Signed out: getToken() returned null' }),
      )
      return
    }
    this.#lastToken = token
    let live = false
    const conn = this.#options.transport.connect(this.baseURL, {
      onOpen: () => {
        this.#lastFrameAt = Date.now()
        const hello = {
          type: 'hello' as const,
          protocol: protocolVersion,
          token,
          cursor: this.#options.cursor(),
          ...(this.#options.participant ? { participant: this.#options.participant } : {}),
        }
        conn.send(hello)
      },
      onFrame: (frame) => {
        this.#lastFrameAt = Date.now()
        switch (frame.type) {
          case 'result': {
            const d = this.#rpcs.get(frame.id)
            if (!d) return
            this.#rpcs.delete(frame.id)
            if (frame.ok) d.resolve(frame.value)
            else d.reject(errorFromWire(frame.error))
            return
          }
          case 'error':
            if (frame.error.type === 'TandemAuthError') this.#authError = errorFromWire(frame.error)
            return
          case 'welcome':
            this.#actor = frame.actor
            if (frame.expiresAt !== undefined) this.#refreshBefore(frame.expiresAt, token, conn)
            return
          case 'pong':
            return
          case 'synced':
            this.#options.onSyncFrame(frame)
            if (!live) {
              live = true
              this.#attempt = 0
              this.#blockedBy.set(null)
              this.#status.set('connected')
              this.#options.onLive()
            }
            return
          default:
            this.#options.onSyncFrame(frame)
        }
      },
      onClose: ({ code }) => {
        if (this.#conn !== conn) return
        this.#conn = undefined
        this.#stopHeartbeat()
        const offline = new TandemConnectionError({ code: 'offline', message: 'Connection lost before the server answered' })
        for (const d of this.#rpcs.values()) d.reject(offline)
        this.#rpcs.clear()
        if (this.#disposed) return
        if (code === 4001) return void this.#onUnauthenticated()
        // Failover: that node failed or went away; the next try goes to the next one (the cursor makes it a catch-up).
        this.#urlIndex = nextURLIndex(this.#urlIndex, this.#options.baseURLs.length)
        this.#retryLater()
      },
    })
    this.#conn = conn
    this.#startHeartbeat(conn)
  }

  async #onUnauthenticated(): Promise<void> {
    // One refresh per refusal; a second refusal in a row backs off first.
    if (this.#attempt > 0) await new Promise((r) => (this.#timer = setTimeout(r, backoffDelay(this.#attempt))))
    this.#attempt++
    if (this.#attempt > 5) {
      this.#block(this.#authError ?? new TandemAuthError({ code: 'unauthenticated', message: 'Credentials refused' }))
      return
    }
    await this.#open(true)
  }

  /**
   * Proactive refresh: at 90% of the credential's life, fetch a new one
   * (single-flight with any other refresh) and reconnect with it; the cursor
   * makes the reconnect a short catch-up, and queued writes replay.
   */
  #refreshBefore(expiresAt: number, token: string, conn: TransportConnection): void {
    clearTimeout(this.#refreshTimer)
    const lifetime = expiresAt - Date.now()
    this.#refreshTimer = setTimeout(
      async () => {
        if (this.#disposed || this.#conn !== conn) return
        let next: string | null
        try {
          next = await this.#options.refreshCredential(token)
        } catch {
          return // unreachable now: the server's expiry will make us retry with backoff
        }
        // No new credential (a fixed key, or signed out): keep going; expiry will end it the usual way.
        if (this.#disposed || this.#conn !== conn || next === null || next === token) return
        this.#conn = undefined
        this.#stopHeartbeat()
        conn.close()
        const offline = new TandemConnectionError({ code: 'offline', message: 'Reconnecting with a fresh credential' })
        for (const d of this.#rpcs.values()) d.reject(offline)
        this.#rpcs.clear()
        void this.#open(false)
      },
      Math.max(0, lifetime * 0.9),
    )
    ;(this.#refreshTimer as { unref?: () => void }).unref?.()
  }

  #retryLater(): void {
    if (this.#disposed) return
    // A browser that knows it has no network waits for it (status offline) instead of backing off.
    const g = globalThis as { navigator?: { onLine?: boolean }; addEventListener?: (type: string, fn: () => void, opts?: { once: boolean }) => void }
    if (g.navigator?.onLine === false && g.addEventListener) {
      this.#status.set('offline')
      g.addEventListener('online', () => void this.#open(false), { once: true })
      return
    }
    this.#status.set('backoff')
    const delay = backoffDelay(this.#attempt++)
    this.#timer = setTimeout(() => void this.#open(false), delay)
  }

  #startHeartbeat(conn: TransportConnection): void {
    const every = this.#options.heartbeatMs ?? 15_000
    this.#heartbeat = setInterval(() => {
      // Half-open socket: nothing heard for 2.5 intervals → drop and reconnect.
      if (Date.now() - this.#lastFrameAt > every * 2.5) return conn.close()
      conn.send({ type: 'ping', t: Date.now() })
    }, every)
    ;(this.#heartbeat as { unref?: () => void }).unref?.()
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat)
  }

  /** Send a request; rejects with `offline` if the connection drops first. */
  request(method: RpcMethod, params: unknown): Promise<unknown> {
    const conn = this.#conn
    if (!conn || this.#status.get() !== 'connected') {
      return Promise.reject(new TandemConnectionError({ code: 'offline', message: 'Not connected' }))
    }
    const id = this.#nextId++
    const d = deferred<unknown>()
    this.#rpcs.set(id, d)
    conn.send({ type: 'rpc', id, method, params } as never)
    return d.promise
  }

  /** Drop the current connection (it reconnects by itself). */
  drop(): void {
    this.#conn?.close()
  }

  dispose(): void {
    this.#disposed = true
    clearTimeout(this.#timer)
    clearTimeout(this.#refreshTimer)
    this.#stopHeartbeat()
    const conn = this.#conn
    this.#conn = undefined
    conn?.close()
    const offline = new TandemConnectionError({ code: 'offline', message: 'Client disposed' })
    for (const d of this.#rpcs.values()) d.reject(offline)
    this.#rpcs.clear()
    this.#status.set('offline')
  }
}
