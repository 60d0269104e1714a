/**
 * @module A ClaimCoordinator whose lines live in the store, so several server
 * nodes on one database share them: every change is one atomic
 * `updateRecord` (serialized with commits on every node), and nodes learn of
 * each other's changes through the claim entries in the log (`observe`).
 * Expiry is judged by the clock: a lease past its `expiresAt` no longer
 * blocks anyone and its token no longer writes, even before a node removes it.
 */
import { deferred, type Deferred } from '../../internal/deferred.ts'
import { createId, randomToken } from '../../internal/ids.ts'
import { createListeners } from '../../internal/listeners.ts'
import { type ClaimState, type ClaimTarget, conflicts, formatClaimToken, parseClaimToken } from '../../protocol/index.ts'
import type { Store } from '../store.ts'
import type { AcquireInput, ActiveClaim, ClaimCoordinator, ClaimEvent, ClaimsChange, Grant } from './claim-coordinator.ts'
import { checkDurations, claimedError, grantTimeoutError, lostError, queueTooDeepError, waitEndedError } from './claim-errors.ts'
import { aheadOf, grantable, positions, reorderLine } from './claim-line.ts'
import { startNodeBeats } from './claim-nodes.ts'

interface Entry {
  id: string
  target: ClaimTarget
  status: 'active' | 'queued'
  state: ClaimState
  token: string
  /** Random part of the token, chosen at creation so granting stays a pure step. */
  secret: string
  ownerId: string
  /** The node whose connection or request waits on this entry (absent in lines written before nodes were tracked). */
  nodeId?: string
  credentialId: string
  groups: string[]
  actor: AcquireInput['holder']
  ttlMs: number
  expiresAtMs: number | null
}
interface Line {
  /** Fencing counter of this row: grows with every grant. */
  fence: number
  entries: Entry[]
}
type Ended = Map<string, 'released' | 'expired' | 'canceled'>

const lineKind = 'claim_line'
const indexKind = 'claim_index'
const keyOf = (t: { model: string; id: string }) => `${t.model}/${t.id}`
/** How many claim locations a node keeps in memory (see `located`). */
const maxLocated = 10_000
const live = (e: Entry, now: number) => e.status === 'queued' || (e.expiresAtMs ?? Infinity) > now

export interface StoreClaimsOptions {
  /**
   * A node silent this long (its heartbeat record not renewed) is taken for dead: the other nodes drop its waiters from
   * the lines. Default 15 000 ms; beats go every third of it. Must be well above the clock skew between nodes.
   */
  nodeTimeoutMs?: number
}

export function storeClaimCoordinator(store: Store, options: StoreClaimsOptions = {}): ClaimCoordinator {
  const nodeId = `node_${createId()}`
  const listeners = createListeners<ClaimsChange>()
  const eventListeners = createListeners<ClaimEvent>()
  const waiters = new Map<string, Deferred<Grant>>()
  /** Waiters whose entry some line has shown: only those can be told it ended (a read may predate the write). */
  const seen = new Set<string>()
  const expiryTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const ownerRows = new Map<string, Set<string>>()
  let closed = false
  let closing: Promise<void> | undefined

  const remember = (ownerId: string, t: { model: string; id: string }) => {
    let rows = ownerRows.get(ownerId)
    if (!rows) ownerRows.set(ownerId, (rows = new Set()))
    rows.add(keyOf(t))
  }
  /** Acquires on their way into a line, per owner and row: that row stays remembered for the owner meanwhile. */
  const joining = new Map<string, number>()
  const joinKey = (ownerId: string, t: { model: string; id: string }) => `${ownerId}\u0000${keyOf(t)}`
  const unjoin = (key: string) => {
    const n = (joining.get(key) ?? 1) - 1
    if (n > 0) joining.set(key, n)
    else joining.delete(key)
  }
  const forget = (ownerId: string, t: { model: string; id: string }) => {
    if (joining.has(joinKey(ownerId, t))) return
    const rows = ownerRows.get(ownerId)
    if (rows?.delete(keyOf(t)) && rows.size === 0) ownerRows.delete(ownerId)
  }
  const toActive = (e: Entry): ActiveClaim => ({ state: e.state, token: e.token, credentialId: e.credentialId, ownerId: e.ownerId })

  /** Grant what can be granted and renumber positions (pure, inside the atomic update). */
  const settleLine = (line: Line, now: number, ended: Ended) => {
    for (const e of line.entries) if (e.status === 'active' && !live(e, now)) ended.set(e.id, 'expired')
    line.entries = line.entries.filter((e) => !ended.has(e.id))
    line.entries.forEach((e, i) => {
      if (e.status !== 'queued' || !grantable(line.entries, i)) return
      line.fence++
      e.status = 'active'
      e.token = formatClaimToken({ claimId: e.id, fence: line.fence, secret: e.secret })
      e.expiresAtMs = now + e.ttlMs
      e.state = { ...e.state, expiresAt: new Date(e.expiresAtMs).toISOString() }
    })
    const pos = positions(line.entries)
    for (const e of line.entries) e.state = { ...e.state, status: e.status, position: pos.get(e.id) ?? 0 }
  }

  /** One atomic change to a row's line, then events, wake-ups and broadcasts for what changed. */
  const mutate = async (t: { model: string; id: string }, change: (line: Line, now: number, ended: Ended) => void): Promise<Line | null> => {
    let before: Entry[] = []
    const ended: Ended = new Map()
    const after = await store.updateRecord<Line>(lineKind, keyOf(t), (current) => {
      const line = current ?? { fence: 0, entries: [] }
      before = structuredClone(line.entries)
      ended.clear()
      const now = Date.now()
      change(line, now, ended)
      settleLine(line, now, ended)
      // Kept while empty too: the fence of a row only ever grows.
      return line
    })
    const afterEntries = after?.entries ?? []
    // Ends before grants: a hand-off logs the previous holder's release before the next one's grant, never two holders at once.
    for (const b of before) {
      const reason = ended.get(b.id)
      if (!reason || afterEntries.some((e) => e.id === b.id)) continue
      emitEvent(b.status === 'queued' ? 'canceled' : reason, { ...b, state: { ...b.state, status: reason } })
      void store.deleteRecord(indexKind, b.id).catch(() => undefined)
      located.delete(b.id)
      // Owners that never disconnect (`http:<credential>`) would otherwise keep every row they ever claimed.
      if (!afterEntries.some((e) => e.ownerId === b.ownerId)) forget(b.ownerId, t)
    }
    for (const e of afterEntries) {
      const was = before.find((b) => b.id === e.id)
      if (e.status === 'active' && was?.status !== 'active') emitEvent('granted', e)
      else if (e.status === 'queued' && !was) emitEvent('queued', e)
    }
    react(t, after)
    return after
  }

  const emitEvent = (event: ClaimEvent['event'], e: Entry) => {
    eventListeners.emit({ event, state: e.state, groups: e.groups, actor: e.actor })
  }

  /** After any change (ours, or another node's seen in the log): wake waiters, arm expiry, broadcast. */
  const react = (t: { model: string; id: string }, line: Line | null) => {
    if (closed) return
    const now = Date.now()
    const entries = (line?.entries ?? []).filter((e) => live(e, now))
    const key = keyOf(t)
    for (const [id, w] of waiters) {
      if (rowOfWaiter.get(id) !== key) continue
      const e = line?.entries.find((x) => x.id === id)
      if (e) seen.add(id)
      if (e?.status === 'active' && live(e, now)) {
        waiters.delete(id)
        seen.delete(id)
        w.resolve({ state: e.state, token: e.token })
      } else if (!e && seen.has(id)) {
        waiters.delete(id)
        seen.delete(id)
        w.reject(waitEndedError('ended'))
      }
    }
    // Leases already run out count too (granted with a tiny ttl, or noticed late): the line must still move on and their waiters hear of it.
    const next = Math.min(...(line?.entries ?? []).filter((e) => e.status === 'active').map((e) => e.expiresAtMs ?? Infinity))
    clearTimeout(expiryTimers.get(key))
    // No lease left on the row: drop its entry, or every row ever claimed keeps a spent timer.
    expiryTimers.delete(key)
    if (Number.isFinite(next)) {
      const timer = setTimeout(
        () => {
          expiryTimers.delete(key)
          void mutate(t, () => undefined).catch(() => undefined)
        },
        Math.max(0, next - now) + 5,
      )
      timer.unref?.()
      expiryTimers.set(key, timer)
    }
    const groups = entries[0]?.groups ?? line?.entries[0]?.groups ?? []
    listeners.emit({ model: t.model, id: t.id, groups, claims: entries.map((e) => e.state) })
  }
  const rowOfWaiter = new Map<string, string>()

  /**
   * Claim id → its row, as its index record says. A claim never moves, so a node reads that record at most once per
   * claim: a release, heartbeat or token check saves a round trip. A claim ended on another node may stay here: its
   * line no longer holds it, which every caller already treats as ended. Bounded, oldest first out.
   */
  const located = new Map<string, { model: string; id: string }>()
  const remembered = (claimId: string, t: { model: string; id: string }) => {
    located.set(claimId, t)
    if (located.size > maxLocated) located.delete(located.keys().next().value!)
    return t
  }
  const locate = async (claimId: string): Promise<{ model: string; id: string } | null> => {
    const known = located.get(claimId)
    if (known) return known
    const t = (await store.getRecord(indexKind, claimId)) as { model: string; id: string } | null
    return t ? remembered(claimId, t) : null
  }
  const locateToken = (token: string) => {
    const parts = parseClaimToken(token)
    return parts ? locate(parts.claimId) : Promise.resolve(null)
  }
  const readLine = async (t: { model: string; id: string }) => {
    const line = ((await store.getRecord(lineKind, keyOf(t))) as Line | null) ?? { fence: 0, entries: [] }
    // A lease that ran out still sits in the record (its node may be gone): move the line on now.
    const now = Date.now()
    if (line.entries.some((e) => e.status === 'active' && !live(e, now))) void mutate(t, () => undefined).catch(() => undefined)
    return line
  }

  const coordinator: ClaimCoordinator = {
    async acquire(input) {
      checkDurations(input)
      const id = `clm_${createId()}`
      const waiter = deferred<Grant>()
      waiter.promise.catch(() => undefined)
      waiters.set(id, waiter)
      rowOfWaiter.set(id, keyOf(input.target))
      remember(input.ownerId, input.target)
      const joined = joinKey(input.ownerId, input.target)
      joining.set(joined, (joining.get(joined) ?? 0) + 1)
      let ownerInLine = true
      const holder = { id: input.holder.id, kind: input.holder.kind, ...(input.holder.name !== undefined ? { name: input.holder.name } : {}) }
      try {
        await store.putRecord(indexKind, id, { model: input.target.model, id: input.target.id })
        remembered(id, { model: input.target.model, id: input.target.id })
        await mutate(input.target, (line, now) => {
          ownerInLine = line.entries.some((e) => e.ownerId === input.ownerId)
          const current = line.entries.filter((e) => live(e, now))
          const ahead = aheadOf(current, input.target)
          if (ahead > 0 && !input.wait) {
            const blocking =
              current.find((e) => e.status === 'active' && conflicts(e.target, input.target)) ?? current.find((e) => conflicts(e.target, input.target))!
            throw claimedError(blocking.state)
          }
          if (input.maxQueueDepth !== undefined && ahead >= input.maxQueueDepth) {
            throw queueTooDeepError(ahead, input.maxQueueDepth)
          }
          const state: ClaimState = {
            id,
            status: 'queued',
            target: input.target,
            action: input.action,
            heldBy: holder,
            position: ahead,
            createdAt: new Date(now).toISOString(),
            expiresAt: null,
          }
          line.entries.push({
            id,
            target: input.target,
            status: 'queued',
            state,
            token: '',
            secret: randomToken(12),
            ownerId: input.ownerId,
            nodeId,
            credentialId: input.credentialId,
            groups: [...input.groups],
            actor: { ...input.holder },
            ttlMs: input.ttlMs,
            expiresAtMs: null,
          })
        })
      } catch (error) {
        waiters.delete(id)
        seen.delete(id)
        rowOfWaiter.delete(id)
        void store.deleteRecord(indexKind, id).catch(() => undefined)
        unjoin(joined)
        if (!ownerInLine) forget(input.ownerId, input.target)
        throw error
      }
      unjoin(joined)
      const cancel = (why: 'timeout' | 'abort') => {
        // Take the waiter first, so the line change does not answer it with a plain claim_lost.
        waiters.delete(id)
        seen.delete(id)
        void mutate(input.target, (line, _now, ended) => {
          if (line.entries.some((e) => e.id === id && e.status === 'queued')) ended.set(id, 'canceled')
        }).then((line) => {
          const e = line?.entries.find((x) => x.id === id)
          // Granted in the meantime: the grant wins.
          if (e?.status === 'active') return waiter.resolve({ state: e.state, token: e.token })
          waiter.reject(why === 'timeout' ? grantTimeoutError(input.timeoutMs) : waitEndedError('canceled'))
        })
      }
      if (waiters.has(id)) {
        if (input.timeoutMs !== undefined) {
          const timer = setTimeout(() => waiters.has(id) && cancel('timeout'), input.timeoutMs)
          timer.unref?.()
          waiter.promise.finally(() => clearTimeout(timer)).catch(() => undefined)
        }
        input.signal?.addEventListener('abort', () => waiters.has(id) && cancel('abort'))
      }
      return waiter.promise.finally(() => rowOfWaiter.delete(id))
    },
    async release(claimId, status = 'released') {
      const t = await locate(claimId)
      if (!t) return null
      let final: ClaimState | null = null
      await mutate(t, (line, _now, ended) => {
        const e = line.entries.find((x) => x.id === claimId)
        if (!e) return
        const reason = e.status === 'queued' && status === 'released' ? 'canceled' : status
        ended.set(claimId, reason)
        final = { ...e.state, status: reason }
      })
      return final
    },
    async heartbeat(token, ownerId) {
      const t = await locateToken(token)
      if (!t) throw lostError()
      let state: ClaimState | undefined
      await mutate(t, (line, now) => {
        const e = line.entries.find((x) => x.token === token && x.status === 'active' && live(x, now))
        if (!e) return
        if (ownerId !== undefined) e.ownerId = ownerId
        e.expiresAtMs = now + e.ttlMs
        e.state = { ...e.state, expiresAt: new Date(e.expiresAtMs).toISOString() }
        state = e.state
      })
      if (!state) throw lostError()
      if (ownerId !== undefined) remember(ownerId, t)
      return state
    },
    async byToken(token) {
      const t = await locateToken(token)
      if (!t) return null
      const now = Date.now()
      const e = (await readLine(t)).entries.find((x) => x.token === token && x.status === 'active' && live(x, now))
      return e ? toActive(e) : null
    },
    async get(claimId) {
      const t = await locate(claimId)
      if (!t) return null
      const now = Date.now()
      const e = (await readLine(t)).entries.find((x) => x.id === claimId && live(x, now))
      return e ? toActive(e) : null
    },
    async activeOn(model, id) {
      const now = Date.now()
      return (await readLine({ model, id })).entries.filter((e) => e.status === 'active' && live(e, now)).map(toActive)
    },
    async claimsOn(model, id) {
      const now = Date.now()
      return (await readLine({ model, id })).entries.filter((e) => live(e, now)).map((e) => e.state)
    },
    async reorder(target, order) {
      await mutate(target, (line) => {
        const sameTarget = new Set(line.entries.filter((e) => e.target.field === target.field).map((e) => e.id))
        line.entries = reorderLine(
          line.entries,
          order.filter((id) => sameTarget.has(id)),
        )
      })
    },
    ownerGone(ownerId, graceMs) {
      const rows = ownerRows.get(ownerId)
      if (!rows) return
      ownerRows.delete(ownerId)
      for (const key of rows) {
        const [model, id] = key.split('/') as [string, string]
        const drop = (statuses: Array<Entry['status']>) =>
          mutate({ model, id }, (line, _now, ended) => {
            for (const e of line.entries)
              if (e.ownerId === ownerId && statuses.includes(e.status)) ended.set(e.id, e.status === 'queued' ? 'canceled' : 'expired')
          }).catch(() => undefined)
        void drop(graceMs <= 0 ? ['queued', 'active'] : ['queued'])
        if (graceMs > 0) {
          // A heartbeat from a new connection re-attaches the claim (ownerId changes), so this finds nothing.
          const timer = setTimeout(() => void drop(['active']), graceMs)
          timer.unref?.()
        }
      }
    },
    async all() {
      const now = Date.now()
      const lines = (await store.listRecords(lineKind)).map((r) => r.value as Line)
      for (const line of lines) {
        const stale = line.entries.find((e) => e.status === 'active' && !live(e, now))
        if (stale) void mutate(stale.target, () => undefined).catch(() => undefined)
      }
      return lines
        .map((line) => line.entries.filter((e) => live(e, now)))
        .filter((entries) => entries.length > 0)
        .map((entries) => ({ model: entries[0]!.target.model, id: entries[0]!.target.id, groups: entries[0]!.groups, claims: entries.map((e) => e.state) }))
    },
    observe(model, id) {
      void readLine({ model, id }).then(
        (line) => react({ model, id }, line),
        () => undefined,
      )
    },
    onChange: (listener) => listeners.add(listener),
    onEvent: (listener) => eventListeners.add(listener),
    close() {
      if (closing) return closing
      closed = true
      beats.stop()
      for (const t of expiryTimers.values()) clearTimeout(t)
      for (const w of waiters.values()) w.reject(waitEndedError('closing'))
      waiters.clear()
      // This node's waiters leave the lines now (their requests just ended), logged like any cancel, so a claim behind them moves up.
      closing = reapNodes(new Set([nodeId]))
        .catch(() => undefined) // the store already gone: the survivors reap them once this node's heartbeat is old
        .finally(() => {
          listeners.clear()
          eventListeners.clear()
        })
      return closing
    },
  }
  /** Waiters of dead nodes leave every line (a grant could never reach them, and they would block everyone behind). */
  const reapNodes = async (dead: ReadonlySet<string>) => {
    for (const r of await store.listRecords(lineKind)) {
      const line = r.value as Line
      if (!line.entries.some((e) => e.status === 'queued' && e.nodeId !== undefined && dead.has(e.nodeId))) continue
      const target = line.entries[0]!.target
      await mutate(target, (current, _now, ended) => {
        for (const e of current.entries) if (e.status === 'queued' && e.nodeId !== undefined && dead.has(e.nodeId)) ended.set(e.id, 'canceled')
      })
    }
  }
  const beats = startNodeBeats(store, nodeId, options.nodeTimeoutMs ?? 15_000, reapNodes)
  sizes.set(coordinator, () => ({
    waiters: waiters.size,
    seen: seen.size,
    rowOfWaiter: rowOfWaiter.size,
    expiryTimers: expiryTimers.size,
    owners: ownerRows.size,
    joining: joining.size,
  }))
  return coordinator
}

const sizes = new WeakMap<ClaimCoordinator, () => Record<string, number>>()

/** How many entries a store coordinator keeps in memory, per map (for leak tests: all 0 once every claim has ended). */
export function storeClaimsBookkeeping(coordinator: ClaimCoordinator): Record<string, number> | undefined {
  return sizes.get(coordinator)?.()
}
