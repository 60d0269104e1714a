/** @module The in-process ClaimCoordinator (one server node). */
import { deferred, type Deferred } from '../../internal/deferred.ts'
import { createId, randomToken } from '../../internal/ids.ts'
import { createListeners } from '../../internal/listeners.ts'
import { type ClaimState, type ClaimTarget, conflicts, formatClaimToken, parseClaimToken } from '../../protocol/index.ts'
import type { AcquireInput, ActiveClaim, ClaimCoordinator, ClaimEvent, ClaimsChange, Grant } from './claim-coordinator.ts'
import { checkDurations, claimedError, grantTimeoutError, lostError, queueTooDeepError, waitEndedError } from './claim-errors.ts'
import { aheadOf, grantable, positions, reorderLine } from './claim-line.ts'

interface Entry {
  id: string
  target: ClaimTarget
  status: 'active' | 'queued'
  state: ClaimState
  input: AcquireInput
  token: string
  ownerId: string
  grant: Deferred<Grant>
  timers: Set<ReturnType<typeof setTimeout>>
}

const rowKey = (t: { model: string; id: string }) => `${t.model}\u0000${t.id}`

export function memoryClaimCoordinator(): ClaimCoordinator {
  const lines = new Map<string, Entry[]>()
  const byId = new Map<string, Entry>()
  const listeners = createListeners<ClaimsChange>()
  const eventListeners = createListeners<ClaimEvent>()
  const event = (e: Entry, name: ClaimEvent['event'], state: ClaimState) => {
    eventListeners.emit({ event: name, state, groups: e.input.groups, actor: e.input.holder })
  }
  let fence = 0
  const granted = new WeakSet<Entry>()

  const lineOf = (t: { model: string; id: string }) => lines.get(rowKey(t)) ?? []
  const timer = (e: Entry, ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      e.timers.delete(t)
      fn()
    }, ms)
    ;(t as { unref?: () => void }).unref?.()
    e.timers.add(t)
  }
  const clearTimers = (e: Entry) => {
    for (const t of e.timers) clearTimeout(t)
    e.timers.clear()
  }
  const emit = (t: { model: string; id: string }, groups: readonly string[]) => {
    const claims = lineOf(t).map((e) => e.state)
    listeners.emit({ model: t.model, id: t.id, groups, claims })
  }
  const refreshPositions = (line: Entry[]) => {
    const pos = positions(line)
    for (const e of line) e.state = { ...e.state, status: e.status, position: pos.get(e.id) ?? 0 }
  }
  const scheduleExpiry = (e: Entry) => {
    clearTimers(e)
    const expiresAt = Date.now() + e.input.ttlMs
    e.state = { ...e.state, expiresAt: new Date(expiresAt).toISOString() }
    timer(e, e.input.ttlMs, () => remove(e, 'expired'))
  }
  const promote = (line: Entry[]) => {
    for (let i = 0; i < line.length; i++) {
      const e = line[i]!
      if (e.status !== 'queued' || !grantable(line, i)) continue
      e.status = 'active'
      e.token = formatClaimToken({ claimId: e.id, fence: ++fence, secret: randomToken(12) })
      scheduleExpiry(e)
    }
    refreshPositions(line)
    for (const e of line) {
      if (e.status !== 'active' || granted.has(e)) continue
      granted.add(e)
      event(e, 'granted', e.state)
      e.grant.resolve({ state: e.state, token: e.token })
    }
  }
  const remove = (e: Entry, status: 'released' | 'expired' | 'canceled'): ClaimState => {
    clearTimers(e)
    byId.delete(e.id)
    const key = rowKey(e.target)
    const line = (lines.get(key) ?? []).filter((x) => x !== e)
    if (line.length) lines.set(key, line)
    else lines.delete(key)
    const final = { ...e.state, status }
    if (e.status === 'active') event(e, status === 'canceled' ? 'released' : status, final)
    else event(e, 'canceled', { ...final, status: 'canceled' })
    if (e.status === 'queued') {
      e.grant.reject(waitEndedError(status))
    }
    promote(line)
    emit(e.target, e.input.groups)
    return final
  }
  const toActive = (e: Entry): ActiveClaim => ({ state: e.state, token: e.token, credentialId: e.input.credentialId, ownerId: e.ownerId })

  return {
    acquire(input) {
      try {
        checkDurations(input)
      } catch (error) {
        return Promise.reject(error)
      }
      const key = rowKey(input.target)
      const line = lines.get(key) ?? []
      const ahead = aheadOf(line, input.target)
      if (ahead > 0 && !input.wait) {
        const holder = line.find((e) => e.status === 'active' && conflicts(e.target, input.target)) ?? line.find((e) => conflicts(e.target, input.target))!
        return Promise.reject(claimedError(holder.state))
      }
      if (input.maxQueueDepth !== undefined && ahead >= input.maxQueueDepth) {
        return Promise.reject(queueTooDeepError(ahead, input.maxQueueDepth))
      }
      const id = `clm_${createId()}`
      const now = new Date().toISOString()
      const holder = { id: input.holder.id, kind: input.holder.kind, ...(input.holder.name !== undefined ? { name: input.holder.name } : {}) }
      const e: Entry = {
        id,
        target: input.target,
        status: 'queued',
        state: { id, status: 'queued', target: input.target, action: input.action, heldBy: holder, position: ahead, createdAt: now, expiresAt: null },
        input,
        token: '',
        ownerId: input.ownerId,
        grant: deferred<Grant>(),
        timers: new Set(),
      }
      e.grant.promise.catch(() => undefined)
      line.push(e)
      lines.set(key, line)
      byId.set(id, e)
      promote(line)
      if (e.status === 'queued') {
        event(e, 'queued', e.state)
        if (input.timeoutMs !== undefined) {
          timer(e, input.timeoutMs, () => {
            if (e.status !== 'queued') return
            e.grant.reject(grantTimeoutError(input.timeoutMs, e.state.position))
            remove(e, 'canceled')
          })
        }
        input.signal?.addEventListener('abort', () => {
          if (e.status === 'queued' && byId.has(e.id)) remove(e, 'canceled')
        })
      }
      emit(input.target, input.groups)
      return e.grant.promise
    },
    async release(claimId, status = 'released') {
      const e = byId.get(claimId)
      return e ? remove(e, e.status === 'queued' && status === 'released' ? 'canceled' : status) : null
    },
    async heartbeat(token, ownerId) {
      const e = byId.get(parseClaimToken(token)?.claimId ?? '')
      if (!e || e.status !== 'active' || e.token !== token) throw lostError()
      if (ownerId !== undefined) e.ownerId = ownerId
      scheduleExpiry(e)
      return e.state
    },
    async byToken(token) {
      const e = byId.get(parseClaimToken(token)?.claimId ?? '')
      return e && e.status === 'active' && e.token === token ? toActive(e) : null
    },
    async get(claimId) {
      const e = byId.get(claimId)
      return e ? toActive(e) : null
    },
    async activeOn(model, id) {
      return lineOf({ model, id })
        .filter((e) => e.status === 'active')
        .map(toActive)
    },
    async claimsOn(model, id) {
      return lineOf({ model, id }).map((e) => e.state)
    },
    observe() {
      // One node: nothing happens elsewhere.
    },
    async reorder(target, order) {
      const key = rowKey(target)
      const line = lines.get(key)
      if (!line) return
      const sameTarget = (e: Entry) => e.target.field === target.field
      const reordered = reorderLine(
        line,
        order.filter((id) => {
          const e = byId.get(id)
          return !!e && sameTarget(e)
        }),
      )
      lines.set(key, reordered)
      promote(reordered)
      emit(target, line[0]?.input.groups ?? [])
    },
    ownerGone(ownerId, graceMs) {
      for (const e of [...byId.values()]) {
        if (e.ownerId !== ownerId) continue
        if (e.status === 'queued') remove(e, 'canceled')
        else timer(e, graceMs, () => e.ownerId === ownerId && byId.has(e.id) && remove(e, 'expired'))
      }
    },
    async all() {
      return [...lines.values()].map((line) => ({
        model: line[0]!.target.model,
        id: line[0]!.target.id,
        groups: line[0]!.input.groups,
        claims: line.map((e) => e.state),
      }))
    },
    onChange: (listener) => listeners.add(listener),
    onEvent: (listener) => eventListeners.add(listener),
    close() {
      listeners.clear()
      eventListeners.clear()
      for (const e of [...byId.values()]) remove(e, 'canceled')
    },
  }
}
