/** @module One endpoint's delivery worker: log after the cursor → batch → signed POST → cursor or retry. */
import type { LogEntry } from '@tandem/core/protocol'
import type { PluginLogger, Store } from '@tandem/core/server'
import { signedHeaders } from './signing.ts'
import { checkUrl, UrlRefusedError } from './address-guard.ts'
import type { DeliveryAttempt, EndpointRecord } from './endpoint.ts'
import { getEndpoint, recordAttempt, updateEndpoint } from './endpoint-store.ts'
import { eventsOf, matchesEvent } from './events.ts'
import type { ResolvedOptions } from './options.ts'
import { post } from './post.ts'

export interface WorkerDeps {
  store: Store
  readLog(after: number, limit: number): Promise<LogEntry[]>
  options: ResolvedOptions
  logger: PluginLogger
  /** This node, for the delivery lease. */
  nodeId: string
}

/** What one step leaves to do: run again now, wait (ms), or sleep until kicked. */
type Next = 'again' | 'idle' | number

interface Batch {
  body: string
  eventCount: number
  firstSyncId: number
  lastSyncId: number
}

/** The signing secrets still valid at `now`, newest first. */
export const activeSecrets = (e: EndpointRecord, now: number) =>
  e.secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now).map((s) => s.secret)

export class EndpointWorker {
  private running: Promise<void> | null = null
  private dirty = false
  private stopped = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly abort = new AbortController()
  private history: Promise<void> = Promise.resolve()

  readonly id: string
  private readonly deps: WorkerDeps

  constructor(id: string, deps: WorkerDeps) {
    this.id = id
    this.deps = deps
  }

  /** Something may have changed (a commit, an edit): look again. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.dirty = true
      return
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.running = this.loop().finally(() => (this.running = null))
  }

  /** Stop, aborting an attempt in flight, and give the lease back. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.abort.abort()
    await this.running
    await this.history
    const { nodeId } = this.deps
    await updateEndpoint(this.deps.store, this.id, (e) => (e && e.lease?.owner === nodeId ? { ...e, lease: null } : e)).catch(() => {})
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.dirty = false
      let next: Next
      try {
        next = await this.step()
      } catch (error) {
        if (this.stopped) return
        this.deps.logger.error(`endpoint ${this.id}: delivery step failed`, error)
        next = 1000 // the store hiccuped: try again soon, the cursor has not moved
      }
      if (this.stopped) return
      if (next === 'again' || this.dirty) continue
      if (typeof next === 'number') {
        this.timer = setTimeout(() => this.kick(), next)
        this.timer.unref?.()
      }
      return
    }
  }

  private async step(): Promise<Next> {
    const { store, options } = this.deps
    let endpoint = await getEndpoint(store, this.id)
    if (!endpoint || endpoint.status !== 'enabled') return 'idle'
    const now = Date.now()
    if (endpoint.nextAttemptAt && Date.parse(endpoint.nextAttemptAt) > now) return Date.parse(endpoint.nextAttemptAt) - now
    const leased = await this.holdLease(endpoint, now)
    if (typeof leased === 'number') return leased
    endpoint = leased

    const start = await store.logStart()
    if (endpoint.cursor < start) {
      // Only when the endpoint's entries were compacted before it retained them (e.g. created by the CLI against a running server).
      this.deps.logger.warn(`endpoint ${this.id}: entries ${endpoint.cursor + 1}..${start} were compacted before delivery; skipping to ${start}`)
      await this.moveCursor(endpoint.cursor, start)
      return 'again'
    }
    const read = await this.deps.readLog(endpoint.cursor, options.maxBatchEvents)
    // A batch already sent and not confirmed goes again as it was (same entries, same webhook-id), whoever sends it.
    const pending = endpoint.sending?.lastSyncId
    const entries = pending !== undefined && pending > endpoint.cursor ? read.filter((e) => e.syncId <= pending) : read
    if (entries.length === 0) return 'idle'
    const batch = this.batch(endpoint, entries)
    if (batch.eventCount === 0) {
      await this.moveCursor(endpoint.cursor, batch.lastSyncId)
      return 'again'
    }
    return this.attempt(endpoint, batch)
  }

  /** Whole log entries, in order, up to the count and byte bounds (the first entry always goes). */
  private batch(endpoint: EndpointRecord, entries: LogEntry[]): Batch {
    const { maxBatchEvents, maxBatchBytes } = this.deps.options
    const parts: string[] = []
    let bytes = 0
    let firstSyncId = 0
    let lastSyncId = endpoint.cursor
    for (const entry of entries) {
      const events = eventsOf(entry)
        .filter((e) => matchesEvent(endpoint.enabledEvents, e.type))
        .map((e) => JSON.stringify(e))
      const size = events.reduce((n, e) => n + e.length + 1, 0)
      if (parts.length > 0 && (parts.length + events.length > maxBatchEvents || bytes + size > maxBatchBytes)) break
      if (events.length && !firstSyncId) firstSyncId = entry.syncId
      parts.push(...events)
      bytes += size
      lastSyncId = entry.syncId
    }
    return { body: `{"data":[${parts.join(',')}]}`, eventCount: parts.length, firstSyncId, lastSyncId }
  }

  private async attempt(endpoint: EndpointRecord, batch: Batch): Promise<Next> {
    const { store, options } = this.deps
    const messageId = `msg_${batch.firstSyncId}_${batch.lastSyncId}`
    const lease = await this.markSending(endpoint, batch.lastSyncId)
    if (!lease) return 'again' // the lease went to another node, or the cursor moved: look again
    const started = Date.now()
    let result: { status: number | null; error: string | null }
    try {
      const target = await checkUrl(endpoint.url, { allowPrivateUrls: options.allowPrivateUrls, resolve: options.resolve })
      const headers = signedHeaders(activeSecrets(endpoint, started), batch.body, messageId, started)
      result = await post(target, headers, batch.body, options.timeoutMs, AbortSignal.any([this.abort.signal, lease.lost]))
    } catch (error) {
      if (!(error instanceof UrlRefusedError)) throw error
      result = { status: null, error: error.message }
    } finally {
      lease.done()
    }
    if (this.stopped) return 'idle' // aborted by close: neither a success nor a failure
    if (lease.lost.aborted) return 'again' // cut off before the lease could end under it: the next owner sends this batch again
    const ok = result.status !== null && result.status >= 200 && result.status < 300
    const record: DeliveryAttempt = {
      object: 'webhook_delivery',
      id: `whd_${crypto.randomUUID().replaceAll('-', '')}`,
      messageId,
      attemptedAt: new Date(started).toISOString(),
      attempt: endpoint.failures + 1,
      ok,
      status: result.status,
      latencyMs: Date.now() - started,
      error: result.error,
      eventCount: batch.eventCount,
      firstSyncId: batch.firstSyncId,
      lastSyncId: batch.lastSyncId,
    }
    const next = ok ? (await this.moveCursor(endpoint.cursor, batch.lastSyncId), 'again' as const) : await this.failed(endpoint.cursor)
    // The history is written off the delivery path (in order, one write at a time): the next batch need not wait for it.
    // onAttempt runs once the attempt is listed, after the cursor moved or the failure counted.
    this.history = this.history
      .then(() => recordAttempt(store, this.id, record, options.deliveryHistory))
      .then(
        () => options.onAttempt?.(this.id, record),
        (error: unknown) => this.deps.logger.error(`endpoint ${this.id}: recording a delivery attempt failed`, error),
      )
    return next
  }

  /** Count the failure; schedule the next retry or, past the schedule, disable the endpoint. */
  private async failed(cursor: number): Promise<Next> {
    const schedule = this.deps.options.retrySchedule
    const now = Date.now()
    const after = await updateEndpoint(this.deps.store, this.id, (e) => {
      if (!e || e.cursor !== cursor) return e
      const failures = e.failures + 1
      const updatedAt = new Date(now).toISOString()
      if (failures > schedule.length) return { ...e, status: 'disabled', disabledReason: 'failing', failures, nextAttemptAt: null, updatedAt }
      return { ...e, failures, nextAttemptAt: new Date(now + schedule[failures - 1]!).toISOString() }
    })
    if (after?.status === 'disabled') {
      this.deps.logger.warn(`endpoint ${this.id} disabled after ${after.failures} failed attempts; re-enable it to resume from syncId ${after.cursor}`)
      return 'idle'
    }
    return 'again' // the step reads nextAttemptAt and waits for it
  }

  /** Advance from `from` to `to`; a no-op when someone else moved the cursor meanwhile. */
  private async moveCursor(from: number, to: number): Promise<void> {
    await updateEndpoint(this.deps.store, this.id, (e) => (e && e.cursor === from ? { ...e, cursor: to, failures: 0, nextAttemptAt: null, sending: null } : e))
  }

  /**
   * Before a POST: note the batch as sent and renew the lease, in one write; then keep renewing it every third of
   * `leaseMs` while the POST runs. `lost` aborts once a quarter of the lease is all that is left unrenewed, so this node
   * has stopped sending before any other node may take over (given clocks that agree within that quarter).
   */
  private async markSending(read: EndpointRecord, lastSyncId: number): Promise<{ lost: AbortSignal; done(): void } | null> {
    const { store, options, nodeId } = this.deps
    const renew = (extra: Partial<EndpointRecord>) => {
      const now = Date.now()
      return updateEndpoint(store, this.id, (e) =>
        e && e.cursor === read.cursor && e.lease?.owner === nodeId && e.lease.expiresAt > now
          ? { ...e, ...extra, lease: { owner: nodeId, expiresAt: now + options.leaseMs } }
          : e,
      ).then((e) => (e?.lease?.owner === nodeId && e.cursor === read.cursor ? e.lease.expiresAt : null))
    }
    const until = await renew({ sending: { lastSyncId } })
    if (until === null) return null
    const lost = new AbortController()
    let finished = false
    let cutOff: ReturnType<typeof setTimeout> | undefined
    const armCutOff = (expiresAt: number) => {
      if (finished) return
      clearTimeout(cutOff)
      cutOff = setTimeout(() => lost.abort(), Math.max(0, expiresAt - options.leaseMs / 4 - Date.now()))
      cutOff.unref?.()
    }
    armCutOff(until)
    const renewals = setInterval(() => {
      renew({}).then(
        (expiresAt) => (expiresAt === null ? lost.abort() : armCutOff(expiresAt)),
        () => undefined, // a failed renewal: the cut-off stays where it was
      )
    }, options.leaseMs / 3)
    renewals.unref?.()
    return {
      lost: lost.signal,
      done: () => {
        finished = true
        clearInterval(renewals)
        clearTimeout(cutOff)
      },
    }
  }

  /** Take or renew this node's lease on the endpoint; resolves to the record, or to ms until another node's lease ends. */
  private async holdLease(read: EndpointRecord, now: number): Promise<EndpointRecord | number> {
    const { nodeId, options } = this.deps
    // Renew when half the lease is gone (each attempt renews it again, see markSending): a lease still fresh costs no write.
    const fresh = (e: EndpointRecord) => e.lease?.owner === nodeId && e.lease.expiresAt - now > options.leaseMs / 2
    if (fresh(read)) return read
    const held = await updateEndpoint(this.deps.store, this.id, (e) => {
      if (!e || fresh(e)) return e
      const free = !e.lease || e.lease.owner === nodeId || e.lease.expiresAt <= now
      return free ? { ...e, lease: { owner: nodeId, expiresAt: now + options.leaseMs } } : e
    })
    if (!held) return 60_000
    if (held.lease?.owner !== nodeId) return Math.max(50, held.lease!.expiresAt - now)
    return held
  }
}
