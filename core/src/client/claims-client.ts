/**
 * @module Claims on the client: the claims everyone holds (from `claims`
 * frames, reactive per row), the handles this client holds (heartbeats,
 * fencing tokens attached to writes), and the `claim` verbs.
 */
import { atom, type ReadableAtom, type WritableAtom } from 'nanostores'
import { TandemClaimedError, TandemConnectionError } from '../errors/index.ts'
import { claimForWrite, type ClaimGrant, type ClaimMethod, type ClaimRequest, type ClaimState, type ClaimTarget, type ClaimsFrame } from '../protocol/index.ts'
import { track } from './reactive.ts'

export interface ClaimHandle<Row = Record<string, unknown>> extends AsyncDisposable {
  /** The claim id. */
  readonly id: string
  /** Fencing token; writes to the target from this client carry it automatically. */
  readonly token: string
  readonly target: ClaimTarget
  readonly action: string
  /** The row as committed when the claim was granted. */
  readonly data: Row
  /** True once the server ended the claim (TTL, disconnect, takeover): writes to the target keep carrying its token and fail with `claim_lost` until you `release()` it. */
  readonly lost: boolean
  /** Give the claim back (after this client's writes under it have landed). */
  release(): Promise<void>
}

export interface ClaimsTransport {
  /** Request over the live connection; waits for the connection when offline. */
  rpc(method: ClaimMethod, params: unknown): Promise<unknown>
  /** Resolves when every queued write carrying `token` is confirmed or refused. */
  settled(token: string): Promise<void>
  /** Who this client acts as (the `heldBy.id` of its claims), once the server said so. */
  actorId?(): string | undefined
}

/**
 * One of this client's own claims: asked for and waiting in line, held, or lost (the server ended it:
 * TTL, revoke, disconnect grace, takeover) and not yet released. Released claims leave the list.
 */
export interface OwnClaim {
  /** The claim id; null while waiting (the server names the claim when it grants it). */
  readonly id: string | null
  readonly target: ClaimTarget
  readonly action: string
  readonly status: 'waiting' | 'held' | 'lost'
  /** While waiting: how many conflicting claims are ahead (from the server's broadcast; null until one arrives). 0 once held. */
  readonly position: number | null
  /** The handle, once granted. */
  readonly handle: ClaimHandle | null
}

interface Held {
  handle: ClaimHandle
  target: ClaimTarget
  timer: ReturnType<typeof setInterval>
  lost: boolean
  /** Its entry in `ownClaims`. */
  slot?: OwnSlot
}

/** One entry of `ownClaims`: the slot stays while its value is replaced (waiting → held → lost). */
interface OwnSlot {
  value: OwnClaim
}

const rowKey = (model: string, id: string) => `${model}\u0000${id}`

export class ClaimsClient {
  #rows = new Map<string, WritableAtom<ClaimState[]>>()
  #held = new Map<string, Held>()
  #transport: ClaimsTransport
  /** This client's claims, for `tandem.ownClaims` (a new frozen array on every change). */
  #own = atom<readonly OwnClaim[]>(Object.freeze([]))
  #slots: OwnSlot[] = []

  constructor(transport: ClaimsTransport) {
    this.#transport = transport
  }

  /** Raw request over the live connection (used by reorder). */
  transportRpc(method: Parameters<ClaimsTransport['rpc']>[0], params: unknown): Promise<unknown> {
    return this.#transport.rpc(method, params)
  }

  #atom(model: string, id: string): WritableAtom<ClaimState[]> {
    const k = rowKey(model, id)
    let a = this.#rows.get(k)
    if (!a) this.#rows.set(k, (a = atom<ClaimState[]>([])))
    return a
  }

  /** A `claims` frame: the full list for one row. */
  apply(frame: ClaimsFrame): void {
    this.#atom(frame.model, frame.id).set(frame.claims)
    this.#observe(frame)
  }

  /** A new live session: the server re-sends every claim, so forget what we knew. */
  reset(): void {
    for (const a of this.#rows.values()) if (a.get().length) a.set([])
  }

  /** Re-attach held claims after a reconnect (within the server's grace period). */
  resume(): void {
    for (const held of this.#held.values()) void this.#heartbeat(held)
  }

  /** Every claim on a row (holders and waiters), tracked for reactivity. */
  claimsOn(model: string, id: string): ClaimState[] {
    const a = this.#atom(model, id)
    track(a)
    return a.get()
  }

  /**
   * The token to attach to a write of `fields` (null = delete) on a row, if this client holds a covering
   * claim. A lost claim still answers: the write then fails with `claim_lost` instead of slipping through.
   */
  tokenFor(model: string, id: string, fields: readonly string[] | null): string | undefined {
    return claimForWrite(this.#held.values(), { model, id }, fields)?.handle.token
  }

  heldOn(target: ClaimTarget): ClaimHandle | undefined {
    for (const h of this.#held.values()) {
      if (h.target.model === target.model && h.target.id === target.id && h.target.field === target.field) return h.handle
    }
    return undefined
  }

  async acquire(request: ClaimRequest, requestedTtlMs: number | undefined): Promise<ClaimHandle> {
    const target: ClaimTarget = { model: request.model, id: request.id, ...(request.field !== undefined ? { field: request.field } : {}) }
    const slot: OwnSlot = { value: Object.freeze({ id: null, target, action: request.action ?? '', status: 'waiting', position: null, handle: null }) }
    this.#slots.push(slot)
    this.#publish()
    let grant: ClaimGrant
    try {
      grant = (await this.#transport.rpc('claim', request)) as ClaimGrant
    } catch (error) {
      this.#removeSlot(slot)
      throw error
    }
    // The server says how long the lease is (its default may differ from ours).
    const ttlMs = grant.ttlMs ?? requestedTtlMs ?? 30_000
    const claim = grant.claim
    let released: Promise<void> | undefined
    const held: Held = {
      target: claim.target,
      lost: false,
      slot,
      timer: setInterval(() => void this.#heartbeat(held), Math.max(250, Math.floor(ttlMs / 3))),
      handle: {
        id: claim.id,
        token: grant.token,
        target: claim.target,
        action: claim.action,
        data: Object.freeze(grant.data),
        get lost() {
          return held.lost
        },
        release: () => (released ??= this.#release(held)),
        [Symbol.asyncDispose]: () => held.handle.release(),
      },
    }
    ;(held.timer as { unref?: () => void }).unref?.()
    this.#held.set(claim.id, held)
    // Waiting becomes held in one change, so a view never shows "no claim" in between.
    this.#updateOwn(held)
    return held.handle
  }

  async #heartbeat(held: Held): Promise<void> {
    if (held.lost) return
    try {
      await this.#transport.rpc('claim_heartbeat', { token: held.handle.token })
    } catch (error) {
      if (error instanceof TandemConnectionError) return // try again next beat / on reconnect
      if (error instanceof TandemClaimedError) {
        // Lost: stop renewing, but keep fencing this client's writes until the app releases it.
        clearInterval(held.timer)
        held.lost = true
        this.#updateOwn(held)
      }
    }
  }

  #drop(held: Held, lost: boolean): void {
    clearInterval(held.timer)
    held.lost ||= lost
    this.#held.delete(held.handle.id)
    if (held.slot) this.#removeSlot(held.slot)
  }

  async #release(held: Held): Promise<void> {
    if (held.lost) return this.#drop(held, true)
    await this.#transport.settled(held.handle.token)
    clearInterval(held.timer)
    let lost = false
    try {
      await this.#transport.rpc('claim_release', { claimId: held.handle.id })
    } catch (error) {
      // The server ended it first (expiry, revoke, an admin): the release's goal is met.
      if (!(error instanceof TandemClaimedError)) throw error
      lost = true
    } finally {
      this.#drop(held, lost)
    }
  }

  dispose(): void {
    for (const h of this.#held.values()) clearInterval(h.timer)
    this.#held.clear()
    this.#slots = []
    this.#publish()
  }

  /** This client's claims (waiting, held, lost), reactive. */
  get own(): ReadableAtom<readonly OwnClaim[]> {
    return this.#own
  }

  /** This client's claim on exactly `target` (tracked for reactivity); a held one before a waiting one. */
  ownOn(target: ClaimTarget): OwnClaim | null {
    track(this.#own)
    const on = this.#own.get().filter((o) => sameTarget(o.target, target))
    return on.find((o) => o.status !== 'waiting') ?? on[0] ?? null
  }

  #publish(): void {
    this.#own.set(Object.freeze(this.#slots.map((s) => s.value)))
  }

  #removeSlot(slot: OwnSlot): void {
    const i = this.#slots.indexOf(slot)
    if (i < 0) return
    this.#slots.splice(i, 1)
    this.#publish()
  }

  #updateOwn(held: Held): void {
    const next = ownOf(held)
    if (!held.slot || !this.#slots.includes(held.slot) || ownEqual(held.slot.value, next)) return
    held.slot.value = next
    this.#publish()
  }

  /**
   * What a row's broadcast says about this client's claims on it: a waiting claim learns its place in
   * line; a held claim the row no longer lists as active is checked with a heartbeat at once (the
   * broadcast may be older than the grant; the heartbeat's answer is what marks it lost).
   */
  #observe(frame: ClaimsFrame): void {
    const actor = this.#transport.actorId?.()
    let changed = false
    for (const slot of this.#slots) {
      const own = slot.value
      if (own.target.model !== frame.model || own.target.id !== frame.id) continue
      if (own.status === 'held') {
        if (!frame.claims.some((c) => c.id === own.id && c.status === 'active')) void this.#check(own.id!)
        continue
      }
      if (own.status !== 'waiting' || actor === undefined) continue
      const queued = frame.claims.find((c) => c.status === 'queued' && c.heldBy.id === actor && c.action === own.action && sameTarget(c.target, own.target))
      if (queued && queued.position !== own.position) {
        slot.value = Object.freeze({ ...own, position: queued.position })
        changed = true
      }
    }
    if (changed) this.#publish()
  }

  #checking = new Set<string>()

  async #check(claimId: string): Promise<void> {
    const held = this.#held.get(claimId)
    if (!held || held.lost || this.#checking.has(claimId)) return
    this.#checking.add(claimId)
    try {
      await this.#heartbeat(held)
    } finally {
      this.#checking.delete(claimId)
    }
  }
}

const sameTarget = (a: ClaimTarget, b: ClaimTarget) => a.model === b.model && a.id === b.id && a.field === b.field

const ownOf = (held: Held): OwnClaim =>
  Object.freeze({
    id: held.handle.id,
    target: held.target,
    action: held.handle.action,
    status: held.lost ? 'lost' : 'held',
    position: 0,
    handle: held.handle,
  })

const ownEqual = (a: OwnClaim, b: OwnClaim) => a.status === b.status && a.position === b.position && a.handle === b.handle
