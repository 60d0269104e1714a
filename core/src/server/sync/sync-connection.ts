/**
 * @module One WebSocket client: hello → welcome → bootstrap or catch-up →
 * live changes, plus request/response (`rpc`) frames for commits and reads.
 */
import { TandemAuthError, TandemConnectionError, TandemValidationError } from '../../errors/index.ts'
import { createId } from '../../internal/ids.ts'
import { clientFrameSchema, type LogEntry, type Participant, protocolVersion, type RpcFrame } from '../../protocol/index.ts'
import { encodeChanges, type Subscriber, visibleEntries } from './hub.ts'
import { parseJson, parseOrThrow } from '../parse-input.ts'
import { publicError } from '../public-error.ts'
import { listRows } from '../reads/list-rows.ts'
import { retrieveRow } from '../reads/retrieve-row.ts'
import type { Session } from '../identity/session.ts'
import { type GroupFilter, groupsVisible } from '../store.ts'
import type { ClaimsChange } from '../claims/claim-coordinator.ts'
import { acquireClaim, heartbeatClaim, releaseClaim, reorderClaims } from '../claims/claim-service.ts'
import type { ServerContext } from '../server-context.ts'
import type { PresenceViewer } from '../presence/presence-registry.ts'

/** The `claims` frame for one row, encoded once for every socket that sees the row. */
export const encodeClaims = (change: ClaimsChange): string => JSON.stringify({ type: 'claims', model: change.model, id: change.id, claims: change.claims })

/** What a connection needs from its socket: a `ws` WebSocket, or an in-process one. */
export interface ServerSocket {
  readonly readyState: number
  readonly OPEN: number
  readonly bufferedAmount: number
  send(text: string): void
  close(code: number, reason: string): void
  terminate(): void
  ping(): void
  /** Optional write batching: frames sent before `uncork` leave in one syscall. */
  cork?(): void
  uncork?(): void
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown
  on(event: 'close' | 'error' | 'pong', listener: () => void): unknown
}

/** Close codes: 4001 unauthenticated, 4002 protocol error, 4008 slow consumer. */
export const closeCodes = { unauthenticated: 4001, protocol: 4002, slowConsumer: 4008 } as const

const catchUpPage = 1000

export class SyncConnection implements Subscriber, PresenceViewer {
  readonly id = `conn_${createId()}`
  /** The presence registry knows a connection by this id. */
  get connectionId(): string {
    return this.id
  }
  #stopPresence: (() => void) | undefined
  /** Bytes of the bootstrap still unsent (see #slow). */
  #bootstrapAllowance = 0
  /** Commits sent on this socket and not yet answered (their results share a write, see #sendRaw). */
  #inflight = new Set<Promise<unknown>>()
  #state: 'hello' | 'catching-up' | 'live' | 'closed' = 'hello'
  #session: Session | undefined
  #token = ''
  #participant: Participant | undefined
  /** Highest syncId this client has been brought up to. */
  #position = 0
  #buffered: LogEntry[] = []
  #unsubscribe: (() => void) | undefined
  #helloTimer: ReturnType<typeof setTimeout>

  readonly ws: ServerSocket
  readonly ctx: ServerContext

  constructor(ws: ServerSocket, ctx: ServerContext) {
    this.ws = ws
    this.ctx = ctx
    this.#helloTimer = setTimeout(
      () => this.#fail(closeCodes.unauthenticated, new TandemAuthError({ code: 'unauthenticated', message: 'No hello frame in time' })),
      ctx.limits.helloTimeoutMs,
    )
    ws.on('message', (data, isBinary) => void this.#onMessage(data as Buffer, isBinary))
    ws.on('close', () => this.#close())
    ws.on('error', () => this.#close())
  }

  get groups(): GroupFilter {
    return this.#session ? this.#session.groups : []
  }

  get session(): Session | undefined {
    return this.#session
  }

  deliver(entries: LogEntry[], frame: string): void {
    if (this.#state === 'catching-up') {
      this.#buffered.push(...entries)
      return
    }
    if (this.#state !== 'live') return
    const last = entries.at(-1)!.syncId
    if (last <= this.#position) return
    if (this.#slow()) return
    if (entries[0]!.syncId > this.#position) this.#sendRaw(frame)
    else this.#sendRaw(encodeChanges(entries.filter((e) => e.syncId > this.#position)))
    this.#position = last
  }

  /**
   * Live data piling up unsent: the client reads too slowly. Drop it (it
   * reconnects and catches up from its cursor) instead of growing memory.
   * Bootstrap frames are exempt: a large first load is not slowness, and what
   * of it is still unsent when the socket goes live counts on top of the limit
   * (an allowance that shrinks as the buffer drains).
   */
  #slow(): boolean {
    const buffered = this.ws.bufferedAmount
    this.#bootstrapAllowance = Math.min(this.#bootstrapAllowance, buffered)
    if (buffered <= this.ctx.limits.maxBufferedBytes + this.#bootstrapAllowance) return false
    this.#fail(closeCodes.slowConsumer, new TandemConnectionError({ code: 'slow_consumer', message: 'Client reads too slowly; disconnected' }))
    // A client that does not read will not answer the close handshake either: cut it after a short grace.
    setTimeout(() => this.ws.terminate(), this.ctx.limits.slowConsumerGraceMs).unref()
    return true
  }

  /** Check the credential again (revoked key or session, expiry): close with 4001 if it no longer holds. */
  revalidate(): void {
    if (!this.#session || this.#state === 'closed') return
    const participant = this.#participant
      ? { kind: this.#participant.kind, ...(this.#participant.name !== undefined ? { name: this.#participant.name } : {}) }
      : undefined
    if (this.ctx.authenticate(this.#token, participant)) return
    // A revoked holder loses its claims at once, without the disconnect grace period.
    this.ctx.claims.claims.ownerGone(this.id, 0)
    this.#fail(closeCodes.unauthenticated, new TandemAuthError({ code: 'session_expired', message: 'Credentials revoked or expired' }))
  }

  /** A presence snapshot or diff for this client (already filtered for its groups). */
  sendPresence(frame: { type: string }): void {
    // The first snapshot completes the bootstrap, which may still sit in the buffer: like it, not a sign of slowness.
    if (this.#state !== 'live' || (frame.type !== 'presence' && this.#slow())) return
    this.#send(frame)
  }

  /** A row's claims changed; forward if this client can see the row. */
  deliverClaims(change: ClaimsChange, frame: string, initial = false): void {
    if (this.#state !== 'live' || !groupsVisible(change.groups, this.groups) || (!initial && this.#slow())) return
    this.#sendRaw(frame)
  }

  #corked = false

  #sendRaw(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    // A writer's socket gets its batch's changes and results in the same tick: let them share one
    // write. Sockets that only listen are not corked, so fan-out leaves at once.
    if (!this.#corked && this.ws.cork && this.#inflight.size > 0) {
      this.#corked = true
      this.ws.cork()
      setImmediate(() => {
        this.#corked = false
        this.ws.uncork?.()
      })
    }
    this.ws.send(text)
  }

  /** What the client may see of `error`, counted as a refusal. */
  #refused(error: unknown, where: string) {
    const e = publicError(error, where)
    this.ctx.metrics.refusals.inc({ code: e.code, transport: 'websocket' })
    return e
  }

  #send(frame: object): void {
    this.#sendRaw(JSON.stringify(frame))
  }

  #fail(code: number, error: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) {
      const e = this.#refused(error, 'websocket')
      this.ws.send(JSON.stringify({ type: 'error', error: e.toJSON() }))
      this.ws.close(code, e.code)
    }
    this.#close()
  }

  #close(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    clearTimeout(this.#helloTimer)
    this.#unsubscribe?.()
    this.#stopPresence?.()
    // Presence is cleared at once (claims keep their grace period below).
    if (this.#session) this.ctx.presence.leave(this.id)
    this.ctx.rateLimiter.forget(this.id)
    const { claims, config } = this.ctx.claims
    claims.ownerGone(this.id, config.disconnectGraceMs)
  }

  async #onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    let frame
    try {
      if (isBinary) throw new TandemValidationError({ code: 'invalid_request', message: 'Frames must be JSON text' })
      if (data.byteLength > this.ctx.limits.maxFrameBytes) {
        throw new TandemValidationError({ code: 'payload_too_large', message: `Frame is larger than ${this.ctx.limits.maxFrameBytes} bytes` })
      }
      const text = data.toString('utf8')
      if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(data)) {
        throw new TandemValidationError({ code: 'invalid_json', message: 'Frame is not valid UTF-8' })
      }
      frame = parseOrThrow(clientFrameSchema, parseJson(text), 'frame')
    } catch (error) {
      const id = peekId(data)
      if (this.#state === 'hello') return this.#fail(closeCodes.protocol, error)
      this.#send(
        id === undefined
          ? { type: 'error', error: this.#refused(error, 'websocket').toJSON() }
          : { type: 'result', id, ok: false, error: this.#refused(error, 'websocket').toJSON() },
      )
      return
    }
    if (this.#state === 'hello' && frame.type !== 'hello') {
      return this.#fail(closeCodes.protocol, new TandemValidationError({ code: 'invalid_request', message: 'The first frame must be hello' }))
    }
    if (frame.type === 'ping') return this.#send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) })
    if (frame.type === 'hello') {
      if (this.#state !== 'hello')
        return this.#send({ type: 'error', error: { type: 'TandemValidationError', code: 'invalid_request', message: 'Duplicate hello' } })
      clearTimeout(this.#helloTimer)
      const session = this.ctx.authenticate(frame.token, frame.participant)
      if (!session) return this.#fail(closeCodes.unauthenticated, new TandemAuthError({ code: 'unauthenticated', message: 'Invalid or expired credentials' }))
      this.#token = frame.token
      this.#participant = frame.participant
      this.#session = { ...session, actor: { ...session.actor, transport: 'websocket' } }
      this.ctx.presence.join(this.id, this.#session)
      await this.#catchUp(frame.cursor)
      return
    }
    await this.#rpc(frame)
  }

  async #catchUp(cursor: number | null): Promise<void> {
    const { store, hub } = this.ctx
    const session = this.#session!
    this.#state = 'catching-up'
    this.#unsubscribe = hub.add(this)
    try {
      const head = await store.headSyncId()
      this.#send({
        type: 'welcome',
        protocol: protocolVersion,
        actor: session.actor,
        syncId: head,
        ...(session.expiresAt !== undefined ? { expiresAt: session.expiresAt } : {}),
      })
      const compacted = cursor !== null && cursor <= head && cursor < (await store.logStart())
      if (compacted) this.#send({ type: 'resync', reason: 'log_compacted' })
      if (cursor === null || cursor > head || compacted) {
        const snap = await store.snapshot(session.groups)
        this.#send({ type: 'bootstrap', syncId: snap.syncId, rows: snap.rows })
        this.#position = snap.syncId
      } else {
        this.#position = cursor
        for (;;) {
          const entries = await store.readLog(this.#position, catchUpPage)
          if (entries.length === 0) break
          const visible = visibleEntries(entries, session.groups)
          if (visible.length) this.#send({ type: 'changes', entries: visible })
          this.#position = entries.at(-1)!.syncId
          if (entries.length < catchUpPage) break
        }
      }
      if (this.#state !== 'catching-up') return
      const late = this.#buffered.filter((e) => e.syncId > this.#position)
      this.#buffered = []
      if (late.length) {
        this.#send({ type: 'changes', entries: late })
        this.#position = late.at(-1)!.syncId
      }
      this.#state = 'live'
      this.#send({ type: 'synced', syncId: this.#position })
      this.#bootstrapAllowance = this.ws.bufferedAmount
      // The claims of the moment are part of the bootstrap (exempt from the slow-consumer check, as it is).
      for (const change of await this.ctx.claims.claims.all()) this.deliverClaims(change, encodeClaims(change), true)
      if (this.#state === 'live') this.#stopPresence = this.ctx.presence.registry.watch(this)
    } catch (error) {
      this.#fail(closeCodes.protocol, error)
    }
  }

  async #rpc(frame: RpcFrame): Promise<void> {
    const session = this.#session!
    try {
      this.ctx.rateLimiter.take(session)
      this.ctx.rateLimiter.takeConnection(this.id, session)
      let value: unknown
      // Claims taken here belong to this connection: its loss starts their grace period.
      const caller = { session, ownerId: this.id }
      const claimService = this.ctx.claims
      switch (frame.method) {
        case 'commit': {
          const { idempotencyKey, ...request } = frame.params
          const pending = this.ctx.pipeline.submit(session, request, idempotencyKey, 'websocket')
          this.#inflight.add(pending)
          try {
            value = await pending
          } finally {
            this.#inflight.delete(pending)
          }
          break
        }
        case 'retrieve':
          value = await retrieveRow(this.ctx, session, frame.params)
          break
        case 'list':
          value = await listRows(this.ctx, session, frame.params)
          break
        case 'claim':
          value = await acquireClaim(claimService, caller, frame.params)
          break
        case 'claim_heartbeat':
          value = await heartbeatClaim(claimService, caller, { token: frame.params.token })
          break
        case 'claim_release':
          value = await releaseClaim(claimService, caller, frame.params.claimId)
          break
        case 'claim_reorder':
          value = await reorderClaims(claimService, caller, frame.params)
          break
        case 'presence_set':
          await this.ctx.presence.setIntent(session, this.id, frame.params.intent)
          value = { connectionId: this.id }
          break
      }
      this.#send({ type: 'result', id: frame.id, ok: true, value })
    } catch (error) {
      this.#send({ type: 'result', id: frame.id, ok: false, error: this.#refused(error, `websocket ${frame.method}`).toJSON() })
    }
  }
}

function peekId(data: Buffer): number | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { id?: unknown }
    return typeof v?.id === 'number' ? v.id : undefined
  } catch {
    return undefined
  }
}
