/** @module `Tandem()`: the client. Typed model verbs over a local reactive graph. */
import { TandemConnectionError, TandemError, TandemValidationError, toTandemError } from '../errors/index.ts'
import { deferred, type Deferred } from '../internal/deferred.ts'
import { createId } from '../internal/ids.ts'
import { singleFlight } from '../internal/single-flight.ts'
import { type CommitResult, type Operation, readPath, type ServerFrame } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { AnyRow } from '../schema/types.ts'
import type { Transport } from '../transport/transport.ts'
import { websocketTransport } from '../transport/websocket-transport.ts'
import { httpTransport } from '../transport/http-transport.ts'
import { Connection } from './connection.ts'
import { ClaimsClient } from './claims-client.ts'
import { indexedDbOutbox, type OutboxStore, volatileOutbox } from './persistence.ts'
import { LocalGraph, type LocalOp } from './local-graph.ts'
import type { ClientInternals } from './internals.ts'
import { createModelApi } from './model-api.ts'
import { selectStore, track, tracked } from './reactive.ts'
import { createClaimView } from './claim-view.ts'
import { readyPromise } from './ready.ts'
import { atom } from 'nanostores'
import type { Participant, TandemClient, TandemCore, TandemOptions } from './types.ts'

interface OutgoingTx {
  seq: number
  ops: LocalOp[]
  txId: string
  claimToken: string | undefined
  idempotencyKey: string
  operations: Operation[]
  sent: boolean
  done: Deferred<CommitResult>
}

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
  const baseURL = options.baseURL ?? env('TANDEM_URL') ?? 'http://127.0.0.1:7878'
  const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined'
  const participant: Participant = options.participant ?? { kind: isBrowser ? 'human' : 'agent' }
  const graph = new LocalGraph(schema.modelNames)
  const outbox: OutgoingTx[] = []
  const persisted: OutboxStore = options.persistence === 'indexeddb' ? indexedDbOutbox(options.persistenceKey ?? baseURL) : volatileOutbox
  let seq = 0
  // Reactive count of unconfirmed writes, so selectors can wait for "all flushed".
  const pendingAtom = atom(0)
  let bootstrapped = false

  let token: string | null | undefined
  const fetchToken = singleFlight(async (): Promise<string | null> => {
    if (options.getToken) return options.getToken()
    const key = options.apiKey ?? env('TANDEM_API_KEY')
    if (key === undefined)
      throw new TandemValidationError({ code: 'invalid_request', message: 'Tandem(): pass apiKey or getToken (or set TANDEM_API_KEY)', param: 'apiKey' })
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

  const sendPending = () => {
    for (const tx of outbox) {
      if (tx.sent) continue
      tx.sent = true
      const params = { operations: tx.operations, txId: tx.txId, idempotencyKey: tx.idempotencyKey, ...(tx.claimToken ? { claimToken: tx.claimToken } : {}) }
      connection.request('commit', params).then(
        (value) => {
          const result = value as CommitResult
          remove(tx)
          graph.confirm(tx.txId, result.syncId)
          tx.done.resolve(result)
        },
        (error: unknown) => {
          const e = toTandemError(error)
          if (e instanceof TandemConnectionError) {
            tx.sent = false // replayed with the same idempotency key once live again
            return
          }
          remove(tx)
          graph.reject(tx.txId)
          tx.done.reject(e)
        },
      )
    }
  }
  const remove = (tx: OutgoingTx) => {
    const i = outbox.indexOf(tx)
    if (i >= 0) outbox.splice(i, 1)
    pendingAtom.set(outbox.length)
    void persisted.delete(tx.txId).catch(() => undefined)
  }
  const enqueue = (tx: OutgoingTx, front = false) => {
    if (front) outbox.unshift(tx)
    else outbox.push(tx)
    pendingAtom.set(outbox.length)
    // Send first, then apply optimistically: the frame leaves a graph update earlier, and no answer can arrive before this returns.
    try {
      if (connection.status.get() === 'connected') sendPending()
    } finally {
      graph.addPending({ txId: tx.txId, ops: tx.ops }, front)
    }
  }

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
    async settled(claimToken) {
      await Promise.allSettled(outbox.filter((tx) => tx.claimToken === claimToken).map((tx) => tx.done.promise))
    },
    actorId: () => connection.actor?.id,
  })

  const onSyncFrame = (frame: ServerFrame) => {
    if (frame.type === 'claims') return claims.apply(frame)
    if (frame.type === 'synced') return claims.reset()
    if (frame.type === 'bootstrap') graph.applyBootstrap(frame.syncId, frame.rows as Record<string, AnyRow[]>)
    else if (frame.type === 'changes') graph.applyEntries(frame.entries)
  }

  const connection = new Connection({
    baseURL,
    transport: resolveTransport(options.transport),
    credential,
    refreshCredential,
    participant,
    cursor: () => (bootstrapped ? graph.cursor : null),
    onSyncFrame,
    onLive: () => {
      bootstrapped = true
      ready.resolve()
      sendPending()
      claims.resume()
    },
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    initialStatus: autoConnect ? 'connecting' : 'offline',
  })
  connection.status.listen((status) => {
    if (status === 'auth_blocked') ready.reject(connection.authError ?? new TandemError({ code: 'unauthenticated', message: 'Credentials refused' }))
  })

  const internals: ClientInternals = {
    schema,
    graph,
    claims,
    rpc: (method, params) => claims.transportRpc(method, params),
    write(ops, operations, idempotencyKey, claimToken) {
      const txId = createId()
      // seq orders the persisted queue across reloads.
      seq = Math.max(seq + 1, Date.now() * 1000)
      const tx: OutgoingTx = { seq, ops, txId, claimToken, idempotencyKey: idempotencyKey ?? txId, operations, sent: false, done: deferred() }
      tx.done.promise.catch(() => undefined)
      const stored = persisted.put({ txId, idempotencyKey: tx.idempotencyKey, operations, ops, seq: tx.seq, ...(claimToken ? { claimToken } : {}) })
      enqueue(tx)
      return { queued: stored, confirmed: tx.done.promise }
    },
    async read(method, params) {
      if (connection.status.get() === 'connected') {
        try {
          return await connection.request(method, params)
        } catch (error) {
          if (!(error instanceof TandemConnectionError)) throw error
        }
      }
      const { httpJson } = await import('./http.ts')
      let t = await credential()
      for (let attempt = 0; ; attempt++) {
        if (t === null) throw new TandemError({ code: 'unauthenticated', message: 'Signed out' })
        try {
          return await httpJson({ baseURL, token: t, method: 'GET', path: readPath(method, params) })
        } catch (error) {
          if (attempt > 0 || !(error instanceof TandemError) || error.status !== 401 || staticKey) throw error
          t = await refreshCredential(t)
        }
      }
    },
  }

  const core: TandemCore<S> = {
    schema,
    status: tracked(connection.status),
    authError: tracked(connection.blockedBy),
    ownClaims: tracked(claims.own),
    ready: () => ready.promise,
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
      track(pendingAtom)
      return outbox.length
    },
    async dispose() {
      disposed = true
      claims.dispose()
      connection.dispose()
      const offline = new TandemConnectionError({ code: 'offline', message: 'Client disposed before the write was confirmed' })
      for (const tx of outbox.splice(0)) tx.done.reject(offline)
      pendingAtom.set(0)
      ready.reject(offline)
    },
  }
  const client = core as TandemClient<S>
  for (const name of schema.modelNames) {
    if (name in core)
      throw new TandemValidationError({ code: 'invalid_request', message: `Model name "${name}" clashes with a client member`, param: 'schema' })
    Object.defineProperty(client, name, { value: createModelApi(internals, name), enumerable: true })
  }
  // Writes queued before a reload come back first (optimistically visible), then the connection starts and replays them.
  persisted
    .load()
    .then(
      (txs) => {
        // Restored writes are older than anything written since construction: they go first, in their order.
        for (const t of [...txs].reverse()) {
          const tx: OutgoingTx = {
            seq: t.seq,
            ops: t.ops,
            txId: t.txId,
            claimToken: t.claimToken,
            idempotencyKey: t.idempotencyKey,
            operations: t.operations,
            sent: false,
            done: deferred(),
          }
          tx.done.promise.catch(() => undefined)
          enqueue(tx, true)
        }
      },
      (error: unknown) => console.error('[tandem] could not load the persisted queue:', error),
    )
    .finally(() => {
      loaded = true
      if (started) core.start()
    })
  return client
}
