/**
 * @module HTTP long-poll transport: the same frames as the WebSocket, carried
 * by `GET /v1/bootstrap`, `GET /v1/changes?after=&wait=` (reads) and the REST
 * routes (commits, reads, claims). For proxies that block WebSockets and for
 * serverless hosts. Claim holders arrive through the log; waiting lines are
 * fetched when a claim entry shows up.
 */
import { errorFromWire, TandemClaimedError, TandemConnectionError, TandemError } from '../errors/index.ts'
import { type ClientFrame, type LogEntry, parseClaimToken, readPath, type RpcFrame, type ServerFrame } from '../protocol/index.ts'
import type { Transport, TransportHandlers } from './transport.ts'

export interface HttpTransportOptions {
  /** Seconds a long-poll may wait for news (default 25). */
  waitSeconds?: number
  fetch?: typeof fetch
}

class HttpStatusError extends Error {
  readonly status: number
  readonly body: unknown
  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`)
    this.status = status
    this.body = body
  }
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
      let commitChain: Promise<unknown> = Promise.resolve()

      const close = (code: number, reason: string) => {
        if (closed) return
        closed = true
        abort.abort()
        handlers.onClose({ code, reason })
      }
      const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> => {
        let res: Response
        try {
          res = await doFetch(new URL(path, baseURL), {
            method,
            signal: abort.signal,
            headers: {
              authorization: `Bearer ${token}`,
              ...participantHeaders,
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
              ...headers,
            },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          })
        } catch (error) {
          throw new TandemConnectionError({ code: 'offline', message: `Cannot reach ${baseURL}`, cause: error })
        }
        const text = await res.text().catch(() => '')
        let parsed: unknown = null
        try {
          parsed = text ? JSON.parse(text) : null
        } catch {
          throw new TandemConnectionError({ code: 'offline', message: `Bad response (HTTP ${res.status})` })
        }
        if (!res.ok) throw new HttpStatusError(res.status, parsed)
        return parsed
      }
      const emit = (frame: ServerFrame) => {
        if (!closed) handlers.onFrame(frame)
      }
      const fail = (error: unknown) => {
        if (error instanceof HttpStatusError && error.status === 401) return close(4001, 'unauthenticated')
        close(1006, error instanceof Error ? error.message : 'poll failed')
      }

      const claimsFor = async (entries: LogEntry[]) => {
        const rows = new Map<string, { model: string; id: string }>()
        for (const e of entries) if (e.claim) rows.set(`${e.claim.state.target.model}\u0000${e.claim.state.target.id}`, e.claim.state.target)
        for (const { model, id } of rows.values()) {
          const res = (await call('GET', `/v1/claims?model=${encodeURIComponent(model)}&id=${encodeURIComponent(id)}`).catch(() => null)) as {
            claims: never[]
          } | null
          if (res) emit({ type: 'claims', model, id, claims: res.claims })
        }
      }

      const poll = async (start: number | null) => {
        let cursor = start
        let synced = false
        while (!closed) {
          if (cursor === null) {
            const snap = (await call('GET', '/v1/bootstrap')) as { syncId: number; rows: Record<string, never[]> }
            emit({ type: 'bootstrap', syncId: snap.syncId, rows: snap.rows })
            cursor = snap.syncId
          }
          const page = (await call('GET', `/v1/changes?after=${cursor}&wait=${synced ? wait : 0}&limit=1000`)) as {
            data: LogEntry[]
            hasMore: boolean
            cursor: number
            resync?: boolean
          }
          if (page.resync) {
            cursor = null
            continue
          }
          if (page.data.length) emit({ type: 'changes', entries: page.data })
          cursor = page.cursor
          if (page.data.some((e) => e.claim)) await claimsFor(page.data)
          if (!synced && !page.hasMore) {
            synced = true
            emit({ type: 'synced', syncId: cursor })
            const all = (await call('GET', '/v1/claims/active').catch(() => null)) as { data: Array<{ model: string; id: string; claims: never[] }> } | null
            for (const row of all?.data ?? []) emit({ type: 'claims', model: row.model, id: row.id, claims: row.claims })
          }
        }
      }

      const rpc = async (frame: RpcFrame): Promise<unknown> => {
        const p = frame.params as Record<string, unknown>
        const enc = encodeURIComponent
        switch (frame.method) {
          case 'commit': {
            const { idempotencyKey, ...body } = frame.params
            // Commits keep their order: one at a time.
            const run = commitChain.then(() => call('POST', '/v1/commits', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}))
            commitChain = run.catch(() => undefined)
            return run
          }
          case 'retrieve': {
            try {
              return await call('GET', readPath('retrieve', p))
            } catch (error) {
              if (error instanceof HttpStatusError && error.status === 404) return null
              throw error
            }
          }
          case 'list':
            return call('GET', readPath('list', p))
          case 'claim': {
            const res = (await call('POST', '/v1/claims', frame.params)) as Record<string, unknown>
            const { token: t, data, ...claim } = res
            return { claim, token: t, data }
          }
          case 'claim_release':
            return call('DELETE', `/v1/claims/${enc(frame.params.claimId)}`)
          case 'claim_heartbeat': {
            const parts = parseClaimToken(frame.params.token)
            if (!parts) throw new TandemClaimedError({ code: 'claim_lost', message: 'Not a claim token', param: 'token' })
            return call('POST', `/v1/claims/${enc(parts.claimId)}/heartbeat`)
          }
          case 'claim_reorder':
            return call('POST', '/v1/claims/reorder', frame.params)
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
                if (error instanceof HttpStatusError) {
                  if (error.status === 401) return fail(error)
                  const wire = (error.body as { error?: unknown } | null)?.error
                  return emit({ type: 'result', id: frame.id, ok: false, error: errorFromWire(wire, error.status).toJSON() })
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
