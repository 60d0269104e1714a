/**
 * @module Claims on the client: the claims everyone holds (from `claims`
 * frames, reactive per row), the handles this client holds (heartbeats,
 * fencing tokens attached to writes), and the `claim` verbs.
 */
import { atom, type WritableAtom } from 'nanostores'
import { TandemClaimedError, TandemConnectionError } from '../errors/index.ts'
import { claimForWrite, type ClaimGrant, type ClaimRequest, type ClaimState, type ClaimTarget, type ClaimsFrame } from '../protocol/index.ts'
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
  rpc(method: 'claim' | 'claim_release' | 'claim_heartbeat' | 'claim_reorder', params: unknown): Promise<unknown>
  /** Resolves when every queued write carrying `token` is confirmed or refused. */
  settled(token: string): Promise<void>
}

interface Held {
  handle: ClaimHandle
  target: ClaimTarget
  timer: ReturnType<typeof setInterval>
  lost: boolean
}

const rowKey = (model: string, id: string) => `${model}\u0000${id}`

export class ClaimsClient {
  #rows = new Map<string, WritableAtom<ClaimState[]>>()
  #held = new Map<string, Held>()
  #transport: ClaimsTransport

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
    const grant = (await this.#transport.rpc('claim', request)) as ClaimGrant
    // The server says how long the lease is (its default may differ from ours).
    const ttlMs = grant.ttlMs ?? requestedTtlMs ?? 30_000
    const claim = grant.claim
    let released: Promise<void> | undefined
    const held: Held = {
      target: claim.target,
      lost: false,
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
      }
    }
  }

  #drop(held: Held, lost: boolean): void {
    clearInterval(held.timer)
    held.lost ||= lost
    this.#held.delete(held.handle.id)
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
  }
}
