/**
 * @module HTTP long-poll transport: the same frames as the WebSocket, carried
 * by `GET /v1/bootstrap`, `GET /v1/changes?after=&wait=` (reads) and the REST
 * routes (commits, reads, claims). For proxies that block WebSockets and for
 * serverless hosts. Claim holders arrive through the log; waiting lines are
 * fetched when a claim entry shows up. Presence: once synced, the transport
 * registers an HTTP participant (`PUT /v1/presence`) and its changes poll
 * carries `presence=<version>&connectionId=<id>`, so one parked request per
 * client wakes on commits and on presence (and keeps the entry alive); a page
 * whose `presenceVersion` moved is followed by one `GET /v1/presence`.
 */
import type { z } from 'zod'
import { TandemClaimedError, TandemConnectionError, TandemError } from '../errors/index.ts'
import {
  activeClaimsSchema,
  bootstrapBodySchema,
  changesPageSchema,
  claimAnswerSchema,
  claimQueueSchema,
  claimStateSchema,
  type ClientFrame,
  commitBatchResultSchema,
  type CommitParams,
  type CommitResult,
  commitResultSchema,
  maxCommitsPerBatch,
  type LogEntry,
  parseClaimToken,
  type PresenceIntent,
  presenceListSchema,
  presencePutResultSchema,
  readPath,
  rowClaimsSchema,
  rowListSchema,
  rowSchema,
  type RpcFrame,
  type ServerFrame,
  type WireError,
} from '../protocol/index.ts'
import { fetchJson, type JsonRequest } from './fetch-json.ts'
import type { Transport, TransportHandlers } from './transport.ts'

export interface HttpTransportOptions {
  /** Seconds a long-poll may wait for news (default 25). */
  waitSeconds?: number
  fetch?: typeof fetch
}

/** The server refused a request: its status and error envelope, forwarded to the client as they came. */
class Refused extends Error {
  readonly status: number
  readonly wire: WireError
  constructor(status: number, wire: WireError) {
    super(wire.message)
    this.status = status
    this.wire = wire
  }
}

interface QueuedCommit {
  params: CommitParams
  resolve(result: CommitResult): void
  reject(error: unknown): void
}

export function httpTransport(options: HttpTransportOptions = {}): Transport {
  const wait = options.waitSeconds ?? 25
  return {
    kind: 'http',
    connect(baseURL, handlers: TransportHandlers) {
      const abort = new AbortController()
      const doFetch = options.fetch ?? globalThis.fetch
      let token = ''
      let participantHeaders: Record<string, string> = {}
      let closed = false
      // Commits leave in order: one request in flight, and whatever queued meanwhile leaves together in the next.
      const queuedCommits: QueuedCommit[] = []
      let sending = false
      let scheduled = false

      // This connection's HTTP participant: registered once synced, its intent set through `presence_set`.
      let presenceId: Promise<string> | undefined
      let presenceIntent: PresenceIntent | null = null
      // The presence version last emitted; undefined until the first snapshot.
      let presenceVersion: number | undefined

      const close = (code: number, reason: string) => {
        if (closed) return
        closed = true
        abort.abort()
        // Leave at once rather than after the TTL (best effort: the TTL covers a lost request).
        presenceId
          ?.then((id) =>
            fetchJson({ baseURL, token, method: 'DELETE', path: `/v1/presence/${encodeURIComponent(id)}`, headers: participantHeaders, fetch: doFetch }),
          )
          .catch(() => undefined)
        // Never sent: the client replays its unconfirmed writes on the next connection.
        for (const q of queuedCommits.splice(0))
          q.reject(new TandemConnectionError({ code: 'offline', message: 'Connection closed before the commit was sent' }))
        handlers.onClose({ code, reason })
      }
      /** One request; its answer parsed with `schema` (an answer of another shape is a broken connection, not data). */
      const call = async <T extends z.ZodType>(
        schema: T,
        method: JsonRequest['method'],
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ): Promise<z.infer<T>> => {
        const answer = await fetchJson({
          baseURL,
          token,
          method,
          path,
          body,
          headers: { ...participantHeaders, ...headers },
          signal: abort.signal,
          fetch: doFetch,
        })
        if (!answer.ok) throw new Refused(answer.status, answer.error)
        const parsed = schema.safeParse(answer.body)
        if (!parsed.success) throw new TandemConnectionError({ code: 'offline', message: `Unexpected answer to ${method} ${path.split('?')[0]}` })
        return parsed.data
      }
      const emit = (frame: ServerFrame) => {
        if (!closed) handlers.onFrame(frame)
      }
      const fail = (error: unknown) => {
        if (error instanceof Refused && error.status === 401) return close(4001, 'unauthenticated')
        close(1006, error instanceof Error ? error.message : 'poll failed')
      }

      const claimsFor = async (entries: LogEntry[]) => {
        const rows = new Map<string, { model: string; id: string }>()
        for (const e of entries) if (e.claim) rows.set(`${e.claim.state.target.model}\u0000${e.claim.state.target.id}`, e.claim.state.target)
        for (const { model, id } of rows.values()) {
          const res = await call(rowClaimsSchema, 'GET', `/v1/claims?model=${encodeURIComponent(model)}&id=${encodeURIComponent(id)}`).catch(() => null)
          if (res) emit({ type: 'claims', model, id, claims: res.claims })
        }
      }

      const register = async (): Promise<string> => {
        const answer = await call(presencePutResultSchema, 'PUT', '/v1/presence', { intent: presenceIntent })
        return answer.connectionId
      }
      /** Fetch presence without waiting and emit it; an entry that expired (404) registers again. */
      const refreshPresence = async () => {
        while (!closed) {
          const id = await presenceId!
          try {
            const page = await call(presenceListSchema, 'GET', `/v1/presence?connectionId=${encodeURIComponent(id)}`)
            presenceVersion = page.version
            return emit({ type: 'presence', self: id, entries: page.data })
          } catch (error) {
            if (!(error instanceof Refused) || error.status !== 404) throw error
            presenceId = register()
          }
        }
      }
      /** The changes poll's presence params once a snapshot was seen: it wakes on presence too, and keeps the entry alive. */
      const presenceParams = async () =>
        presenceVersion === undefined ? '' : `&presence=${presenceVersion}&connectionId=${encodeURIComponent(await presenceId!)}`

      const poll = async (start: number | null) => {
        let cursor = start
        let synced = false
        while (!closed) {
          if (cursor === null) {
            const snap = await call(bootstrapBodySchema, 'GET', '/v1/bootstrap')
            emit({ type: 'bootstrap', syncId: snap.syncId, rows: snap.rows })
            cursor = snap.syncId
          }
          const page = await call(changesPageSchema, 'GET', `/v1/changes?after=${cursor}&wait=${synced ? wait : 0}&limit=1000${await presenceParams()}`)
          if (page.presenceVersion !== undefined && page.presenceVersion !== presenceVersion) await refreshPresence()
          if (page.resync) {
            cursor = null
            continue
          }
          if (page.data.length) emit({ type: 'changes', entries: page.data })
          cursor = page.cursor
          if (page.data.some((e) => e.claim)) await claimsFor(page.data)
          if (!synced && !page.hasMore) {
            synced = true
            presenceId ??= register()
            emit({ type: 'synced', syncId: cursor })
            // Before the first parked poll, so that poll already carries the presence version.
            await refreshPresence()
            const all = await call(activeClaimsSchema, 'GET', '/v1/claims/active').catch(() => null)
            for (const row of all?.data ?? []) emit({ type: 'claims', model: row.model, id: row.id, claims: row.claims })
          }
        }
      }

      const postOne = ({ idempotencyKey, ...body }: CommitParams) =>
        call(commitResultSchema, 'POST', '/v1/commits', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {})

      /** Send `batch` as one request; if it is too large for the server, as two halves (each commit keeps its own result). */
      const postBatch = async (batch: QueuedCommit[]): Promise<void> => {
        if (batch.length === 1) return postOne(batch[0]!.params).then(batch[0]!.resolve, batch[0]!.reject)
        try {
          const { results } = await call(commitBatchResultSchema, 'POST', '/v1/commits/batch', { commits: batch.map((q) => q.params) })
          if (results.length !== batch.length) throw new TandemConnectionError({ code: 'offline', message: 'Unexpected answer to POST /v1/commits/batch' })
          results.forEach((r, i) => (r.object === 'commit' ? batch[i]!.resolve(r) : batch[i]!.reject(new Refused(r.status, r.error))))
        } catch (error) {
          if (error instanceof Refused && error.wire.code === 'payload_too_large') {
            const half = Math.ceil(batch.length / 2)
            await postBatch(batch.slice(0, half))
            return postBatch(batch.slice(half))
          }
          for (const q of batch) q.reject(error)
        }
      }

      const sendCommits = async () => {
        if (sending) return
        sending = true
        try {
          while (queuedCommits.length && !closed) await postBatch(queuedCommits.splice(0, maxCommitsPerBatch))
        } finally {
          sending = false
        }
      }

      const rpc = async (frame: RpcFrame): Promise<unknown> => {
        const p = frame.params as Record<string, unknown>
        const enc = encodeURIComponent
        switch (frame.method) {
          case 'commit': {
            const result = new Promise<CommitResult>((resolve, reject) => queuedCommits.push({ params: frame.params, resolve, reject }))
            // After this tick: the commits queued in one burst leave in one request.
            // A request in flight picks the queue up when it ends; otherwise one send per burst, not one task per write.
            if (!sending && !scheduled) {
              scheduled = true
              queueMicrotask(() => {
                scheduled = false
                void sendCommits()
              })
            }
            return result
          }
          case 'retrieve': {
            try {
              return await call(rowSchema, 'GET', readPath('retrieve', p))
            } catch (error) {
              if (error instanceof Refused && error.status === 404) return null
              throw error
            }
          }
          case 'list':
            return call(rowListSchema, 'GET', readPath('list', p))
          case 'claim': {
            const { token: t, data, ...claim } = await call(claimAnswerSchema, 'POST', '/v1/claims', frame.params)
            return { claim, token: t, data }
          }
          case 'claim_release':
            return call(claimStateSchema, 'DELETE', `/v1/claims/${enc(frame.params.claimId)}`)
          case 'claim_heartbeat': {
            const parts = parseClaimToken(frame.params.token)
            if (!parts) throw new TandemClaimedError({ code: 'claim_lost', message: 'Not a claim token', param: 'token' })
            return call(claimStateSchema, 'POST', `/v1/claims/${enc(parts.claimId)}/heartbeat`)
          }
          case 'claim_reorder':
            return call(claimQueueSchema, 'POST', '/v1/claims/reorder', frame.params)
          case 'presence_set': {
            presenceIntent = frame.params.intent
            const connectionId = await (presenceId ?? (presenceId = register()))
            const answer = await call(presencePutResultSchema, 'PUT', '/v1/presence', { connectionId, intent: presenceIntent })
            // It had expired: the answer names the new entry.
            if (answer.connectionId !== connectionId) presenceId = Promise.resolve(answer.connectionId)
            return { connectionId: answer.connectionId }
          }
        }
      }

      queueMicrotask(() => !closed && handlers.onOpen())
      return {
        send(frame: ClientFrame) {
          if (closed) return
          if (frame.type === 'hello') {
            token = frame.token
            if (frame.participant) {
              participantHeaders = {
                'tandem-participant-kind': frame.participant.kind,
                ...(frame.participant.name ? { 'tandem-participant-name': frame.participant.name } : {}),
              }
            }
            poll(frame.cursor).catch(fail)
          } else if (frame.type === 'ping') {
            emit({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) })
          } else {
            rpc(frame).then(
              (value) => emit({ type: 'result', id: frame.id, ok: true, value }),
              (error: unknown) => {
                if (error instanceof Refused) {
                  if (error.status === 401) return fail(error)
                  return emit({ type: 'result', id: frame.id, ok: false, error: error.wire })
                }
                // Network failure: the connection is gone; the client replays what was unanswered.
                if (error instanceof TandemError && error.code === 'offline') return fail(error)
                emit({
                  type: 'result',
                  id: frame.id,
                  ok: false,
                  error: (error instanceof TandemError ? error : new TandemConnectionError({ code: 'offline', message: String(error) })).toJSON(),
                })
              },
            )
          }
        },
        close() {
          close(1000, 'client closed')
        },
      }
    },
  }
}
