/**
 * @module `httpSource({ url, secret })`: a Store whose rows stay canonical in
 * the customer's own endpoint (the Data Source). Tandem's change log,
 * idempotency records, records and the commit journal live in a local `log`
 * store. See README.md for the design and its limits.
 */
import { randomUUID } from 'node:crypto'
import type { Schema } from '@tandem/core/schema'
import { sqliteStore, type GroupFilter, type Snapshot, type Store } from '@tandem/core/server'
import { Mutex } from '@tandem/core/store-kit'
import { createJournal, journalSchema } from './journal.ts'
import type { CommitRequest } from './protocol.ts'
import { createRemoteRows } from './remote-rows.ts'
import { settleJournal } from './settle.ts'
import { createSourceClient } from './source-client.ts'
import { createSourceTransaction } from './source-transaction.ts'
import { WindowLock } from './window-lock.ts'

export interface HttpSourceOptions {
  /** The endpoint every signed request is POSTed to. */
  url: string
  /** `whsec_<base64>`, shared with the endpoint (the HMAC key is the decoded bytes). */
  secret: string
  /** Where the change log, idempotency records, records and commit journal live. Default `sqliteStore({ path: '.tandem/source-log.db' })`. */
  log?: Store
  /** Per attempt, in ms (default 10 000). */
  timeoutMs?: number
  /** Further attempts of the same request after a timeout, network error, 5xx or 429 (default 2). */
  retries?: number
}

/**
 * A Store backed by the customer's Data Source.
 * @example
 * const server = await createServer({
 *   schema,
 *   store: httpSource({ url: 'https://api.example.com/tandem', secret: process.env.TANDEM_SOURCE_SECRET! }),
 * })
 */
export function httpSource(options: HttpSourceOptions): Store {
  const log = options.log ?? sqliteStore({ path: '.tandem/source-log.db' })
  let schema: Schema | undefined
  const client = createSourceClient({ url: options.url, secret: options.secret, timeoutMs: options.timeoutMs ?? 10_000, retries: options.retries ?? 2 })
  const remote = createRemoteRows(client, () => {
    if (!schema) throw new Error('httpSource: open() was not called')
    return schema
  })
  const journal = createJournal(log)
  const mutex = new Mutex()
  const window = new WindowLock()
  // True while the journal may hold commits the endpoint has but the log does not.
  let unsettled = false

  // Callers hold the mutex; the window keeps snapshots out while the endpoint's rows are ahead of the log.
  const settle = async () => {
    const close = await window.open()
    try {
      await settleJournal(journal, remote)
      unsettled = false
    } finally {
      close()
    }
  }
  const settledForReads = async () => {
    if (unsettled) await mutex.run(async () => (unsettled ? settle() : undefined))
  }

  return {
    kind: 'http',
    async open(s) {
      schema = s
      await log.open(journalSchema)
      await journal.init()
      unsettled = (await journal.list()).length > 0
      // A crash may have left commits the endpoint holds without log entries; undo them now if the endpoint answers, else before the next read or write.
      if (unsettled)
        await mutex.run(() => settle()).catch((error: unknown) => console.warn('[tandem] httpSource: could not settle the commit journal yet:', error))
    },
    async close() {
      await mutex.run(async () => log.close())
    },
    transaction(fn) {
      return mutex.run(async () => {
        if (unsettled) await settle()
        const own = new Set<string>()
        let closeWindow: (() => void) | undefined
        // Settle inside this transaction, in its window, keeping its own commits (they will be logged).
        const settleHere = async () => {
          closeWindow ??= await window.open()
          await settleJournal(journal, remote, own)
          unsettled = false
        }
        const t = createSourceTransaction({
          head: await log.headSyncId(),
          getIdempotency: (scope, key) => log.transaction((ltx) => ltx.getIdempotency(scope, key)),
          load: async (model, id) => {
            if (unsettled) await settleHere()
            return remote.load(model, id)
          },
          send: async (operations, scope, before) => {
            if (unsettled) await settleHere()
            closeWindow ??= await window.open()
            const request: CommitRequest = { type: 'commit', clientTxId: `ctx_${randomUUID()}`, operations, scope }
            await journal.add(request, before)
            const result = await remote.commit(request)
            if (result.ok) {
              own.add(request.clientTxId)
              return request.clientTxId
            }
            if (!result.maybeApplied) {
              await journal.remove([request.clientTxId])
              throw result.error
            }
            // Unknown outcome: make it definite and undo it before anything else touches the endpoint.
            unsettled = true
            await settleHere().catch(() => undefined)
            throw result.error
          },
        })
        try {
          const result = await fn(t.tx)
          await t.flush()
          await log.transaction(async (ltx) => {
            for (const entry of t.entries) await ltx.appendLog(entry)
            for (const record of t.records()) await ltx.putIdempotency(record)
            await journal.removeIn(ltx, t.sent)
          })
          return result
        } catch (error) {
          // Nothing of this transaction reaches the log, so nothing of it may stay at the endpoint.
          if (t.sent.length > 0 || unsettled) {
            unsettled = true
            closeWindow ??= await window.open()
            await settleJournal(journal, remote).then(
              () => (unsettled = false),
              (e: unknown) => console.warn('[tandem] httpSource: could not undo a failed transaction at the Data Source yet:', e),
            )
          }
          throw error
        } finally {
          closeWindow?.()
        }
      })
    },
    async getRow(model, id) {
      await settledForReads()
      return remote.load(model, id)
    },
    async listRows(model, query) {
      await settledForReads()
      return remote.list(model, query)
    },
    readLog: (after, limit) => log.readLog(after, limit),
    readRunLog: (runId, after, limit) => log.readRunLog(runId, after, limit),
    headSyncId: () => log.headSyncId(),
    logStart: () => log.logStart(),
    // Serialized with commit transactions, as the other stores do (claims rely on it).
    updateRecord: (kind, id, fn) => mutex.run(() => log.updateRecord(kind, id, fn)),
    compactLog: (through) => log.compactLog(through),
    pruneIdempotency: (before) => log.pruneIdempotency(before),
    async snapshot(groups: GroupFilter): Promise<Snapshot> {
      await settledForReads()
      // Outside a commit window the endpoint's rows and the log's head agree.
      return window.read(async () => {
        const syncId = await log.headSyncId()
        const rows: Snapshot['rows'] = {}
        for (const model of schema?.modelNames ?? []) rows[model] = await remote.listAll(model, groups)
        return { syncId, rows }
      })
    },
    getRecord: (kind, id) => log.getRecord(kind, id),
    putRecord: (kind, id, value, opts) => log.putRecord(kind, id, value, opts),
    deleteRecord: (kind, id) => log.deleteRecord(kind, id),
    listRecords: (kind) => log.listRecords(kind),
  }
}
