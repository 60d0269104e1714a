/** @module `Tandem()`: the client. Typed model verbs over a local reactive graph. */
import { TandemAuthError, TandemConnectionError, TandemError, TandemValidationError } from '../errors/index.ts'
import { singleFlight } from '../internal/single-flight.ts'
import { checkRunId, readPath, type ServerFrame } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { AnyRow } from '../schema/types.ts'
import type { Transport } from '../transport/transport.ts'
import { websocketTransport } from '../transport/websocket-transport.ts'
import { httpTransport } from '../transport/http-transport.ts'
import { fetchJsonOrThrow } from '../transport/fetch-json.ts'
import { baseURLList } from './base-urls.ts'
import { Connection } from './connection.ts'
import { ClaimsClient } from './claims-client.ts'
import { PresenceClient } from './presence-client.ts'
import { indexedDbOutbox, type OutboxStore, volatileOutbox } from './persistence.ts'
import { type ClientOperation, LocalGraph } from './local-graph.ts'
import { Outbox } from './outbox.ts'
import type { ClientInternals } from './internals.ts'
import { createModelApi } from './model-api.ts'
import { selectStore, track, tracked } from './reactive.ts'
import { createClaimView } from './claim-view.ts'
import { readyPromise } from './ready.ts'
import { createRunsApi } from './runs-api.ts'
import { createTransactions } from './transaction.ts'
import { UndoStack } from './undo-stack.ts'
import type { Participant, TandemClient, TandemCore, TandemOptions } from './types.ts'

const env = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name]

function resolveTransport(t: TandemOptions<Schema>['transport']): Transport {
  if (t === undefined || t === 'websocket') return websocketTransport()
  if (t === 'http') return httpTransport()
  return t
}

/**
 * Create a client.
 * @example
 * const tandem = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
 * await tandem.ready()
 * const task = await tandem.tasks.create({ data: { title: 'Write docs' } })
 */
export function Tandem<S extends Schema>(options: TandemOptions<S>): TandemClient<S> {
  const schema = options.schema
  if (!schema || schema.kind !== 'schema')
    throw new TandemValidationError({ code: 'invalid_request', message: 'Tandem(): `schema` (from defineSchema) is required', param: 'schema' })
  const baseURLs = baseURLList(options.baseURL ?? env('TANDEM_URL') ?? 'http://127.0.0.1:7878')
  const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined'
  const participant: Participant = options.participant ?? { kind: isBrowser ? 'human' : 'agent' }
  const graph = new LocalGraph(schema.modelNames)
  const persisted: OutboxStore = options.persistence === 'indexeddb' ? indexedDbOutbox(options.persistenceKey ?? baseURLs.join(' ')) : volatileOutbox
  const outbox = new Outbox({
    graph,
    persisted,
    live: () => connection.status.get() === 'connected',
    send: (params) => connection.request('commit', params),
  })
  let bootstrapped = false
  // Each operation carries the token of the claim covering its row, so undoing a transaction over rows held by several claims passes every guard.
  const withClaimTokens = (operations: readonly ClientOperation[]): ClientOperation[] =>
    operations.map((op) => {
      const token = op.op === 'create' ? undefined : claims.tokenFor(op.model, op.id, op.op === 'delete' ? null : Object.keys(op.data ?? {}))
      return token ? { ...op, claimToken: token } : op
    })
  const undoStack = new UndoStack({
    send: (operations, runId) => outbox.write(withClaimTokens(operations), undefined, undefined, runId),
    row: (model, id) => graph.peek(model, id),
    limit: options.undoLimit ?? 100,
  })
  if (options.runId !== undefined) checkRunId(options.runId, 'runId')

  let token: string | null | undefined
  const fetchToken = singleFlight(async (): Promise<string | null> => {
    if (options.getToken) return options.getToken()
    const key = options.apiKey ?? env('TANDEM_API_KEY')
    // No way to get a credential: an auth error blocks the connection at once instead of backing off forever.
    if (key === undefined)
      throw new TandemAuthError({
        code: 'unauthenticated',
        message: 'Tandem(): no credentials: pass apiKey or getToken (or set TANDEM_API_KEY)',
        param: 'apiKey',
      })
    return typeof key === 'function' ? key() : key
  })
  const staticKey = typeof options.apiKey === 'string' && !options.getToken
  const credential = async () => (token ??= await fetchToken())
  // Single-flight per refused token: many 401s for the same token cause one getToken call.
  const refreshCredential = async (refused?: string | null) => {
    if (staticKey) return null
    if (refused !== undefined && token !== undefined && token !== refused) return token
    token = undefined
    return credential()
  }

  const ready = readyPromise()

  const whenConnected = (): Promise<void> => {
    const now = connection.status.get()
    if (now === 'connected') return Promise.resolve()
    if (disposed || now === 'auth_blocked') return Promise.reject(new TandemConnectionError({ code: 'offline', message: 'Client is not connected' }))
    return new Promise((resolve, reject) => {
      const off = connection.status.listen((st) => {
        if (st === 'connected') (off(), resolve())
        else if (st === 'auth_blocked' || disposed) (off(), reject(new TandemConnectionError({ code: 'offline', message: 'Client is not connected' })))
      })
    })
  }
  let disposed = false
  // The socket opens once the persisted queue is loaded and the client is started (at once, unless autoConnect is false).
  const autoConnect = options.autoConnect ?? true
  let started = autoConnect
  let loaded = false
  let connecting = false
  const claims = new ClaimsClient({
    async rpc(method, params) {
      await whenConnected()
      return connection.request(method, params)
    },
    settled: (claimToken) => outbox.settled(claimToken),
    actorId: () => connection.actor?.id,
  })

  const presence = new PresenceClient(schema, {
    send: (intent) => connection.request('presence_set', { intent }),
    connected: () => connection.status.get() === 'connected',
  })

  const onSyncFrame = (frame: ServerFrame) => {
    if (frame.type === 'claims') return claims.apply(frame)
    if (frame.type === 'presence' || frame.type === 'presence_diff') return presence.apply(frame)
    if (frame.type === 'synced') return claims.reset()
    if (frame.type === 'bootstrap') graph.applyBootstrap(frame.syncId, frame.rows as Record<string, AnyRow[]>)
    else if (frame.type === 'changes') {
      graph.applyEntries(frame.entries)
      undoStack.observe(frame.entries)
    }
  }

  const connection = new Connection({
    baseURLs,
    transport: resolveTransport(options.transport),
    credential,
    refreshCredential,
    participant,
    cursor: () => (bootstrapped ? graph.cursor : null),
    onSyncFrame,
    onLive: () => {
      bootstrapped = true
      ready.resolve()
      outbox.flush()
      claims.resume()
      presence.resume()
    },
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    initialStatus: autoConnect ? 'connecting' : 'offline',
  })
  connection.status.listen((status) => {
    // What others were doing is unknown while not connected; a reconnect brings a fresh snapshot.
    if (status !== 'connected') presence.reset()
    if (status === 'auth_blocked') ready.reject(connection.authError ?? new TandemError({ code: 'unauthenticated', message: 'Credentials refused' }))
  })

  const internals: ClientInternals = {
    schema,
    graph,
    claims,
    rpc: (method, params) => claims.transportRpc(method, params),
    write: (operations, idempotencyKey, claimToken, runId) =>
      undoStack.record(operations, runId, () => outbox.write(operations, idempotencyKey, claimToken, runId)),
    async http(method, path, body) {
      let t = await credential()
      for (let attempt = 0; ; attempt++) {
        if (t === null) throw new TandemError({ code: 'unauthenticated', message: 'Signed out' })
        try {
          return await fetchJsonOrThrow({ baseURL: connection.baseURL, token: t, method, path, ...(body !== undefined ? { body } : {}) })
        } catch (error) {
          if (attempt > 0 || !(error instanceof TandemError) || error.status !== 401 || staticKey) throw error
          t = await refreshCredential(t)
        }
      }
    },
    async read(method, params) {
      if (connection.status.get() === 'connected') {
        try {
          return await connection.request(method, params)
        } catch (error) {
          if (!(error instanceof TandemConnectionError)) throw error
        }
      }
      return internals.http('GET', readPath(method, params))
    },
  }

  const transactions = createTransactions(internals)

  const core: TandemCore<S> = {
    schema,
    status: tracked(connection.status),
    authError: tracked(connection.blockedBy),
    ownClaims: tracked(claims.own),
    presence,
    ready: ((opts?: { timeoutMs?: number }) => {
      if (opts?.timeoutMs === undefined || ready.promise.status !== 'pending') return ready.promise
      const ms = opts.timeoutMs
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new TandemConnectionError({
                code: 'timeout',
                message: `Not connected to ${connection.baseURL} within ${ms} ms (status ${connection.status.get()}; still trying)`,
              }),
            ),
          ms,
        )
        ready.promise.then(
          () => (clearTimeout(timer), resolve()),
          (e: unknown) => (clearTimeout(timer), reject(e)),
        )
      })
    }) as TandemCore<S>['ready'],
    start() {
      started = true
      if (!loaded || disposed || connecting) return
      connecting = true
      connection.start()
    },
    snapshot: () => graph.snapshot() as never,
    cursor: () => {
      track(graph.cursorStore)
      return graph.cursor
    },
    select: (selector, opts) => selectStore(() => selector(client), opts?.equal),
    subscribe: (selector, listener) => core.select(selector).listen((value, previous) => listener(value as never, previous as never)),
    claimView: (args) => createClaimView(schema, claims, client as never, args) as never,
    pendingCount: () => {
      track(outbox.size)
      return outbox.size.get()
    },
    transaction: transactions(options.runId),
    undo: () => undoStack.undo(),
    redo: () => undoStack.redo(),
    canUndo: tracked(undoStack.canUndo),
    canRedo: tracked(undoStack.canRedo),
    runId: options.runId,
    runs: createRunsApi(internals),
    withRun(runId: string) {
      checkRunId(runId, 'runId')
      const scoped = Object.create(client, {
        runId: { value: runId, enumerable: true },
        transaction: { value: transactions(runId), enumerable: true },
      }) as TandemClient<S>
      for (const name of schema.modelNames) Object.defineProperty(scoped, name, { value: createModelApi(internals, name, runId), enumerable: true })
      return scoped
    },
    async dispose() {
      disposed = true
      claims.dispose()
      presence.dispose()
      connection.dispose()
      const offline = new TandemConnectionError({ code: 'offline', message: 'Client disposed before the write was confirmed' })
      outbox.abandon(offline)
      ready.reject(offline)
    },
  }
  const client = core as TandemClient<S>
  for (const name of schema.modelNames) {
    if (name in core)
      throw new TandemValidationError({ code: 'invalid_request', message: `Model name "${name}" clashes with a client member`, param: 'schema' })
    Object.defineProperty(client, name, { value: createModelApi(internals, name, options.runId), enumerable: true })
  }
  // Writes queued before a reload come back first (optimistically visible), then the connection starts and replays them.
  outbox
    .restore()
    .catch((error: unknown) => console.error('[tandem] could not load the persisted queue:', error))
    .finally(() => {
      loaded = true
      if (started) core.start()
    })
  return client
}
