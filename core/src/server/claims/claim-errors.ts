/** @module The claim errors, built in one place so every door and coordinator words them alike. */
import { TandemClaimedError, TandemValidationError } from '../../errors/index.ts'
import { type ClaimState, claimTimeoutLimits, claimTtlLimits, durationRule } from '../../protocol/index.ts'

function describeHolder(s: ClaimState): string {
  const who = s.heldBy.name ?? s.heldBy.id
  return `${s.heldBy.kind} ${who}${s.action ? `: ${s.action}` : ''}`
}

/** `entity_claimed`: someone else holds (or waits for) what the caller wants; `details.claim` is that claim. */
export function claimedError(holder: ClaimState, message?: string): TandemClaimedError {
  return new TandemClaimedError({
    code: 'entity_claimed',
    message:
      message ?? `${holder.target.model} "${holder.target.id}"${holder.target.field ? `.${holder.target.field}` : ''} is held by ${describeHolder(holder)}`,
    details: { claim: holder },
  })
}

/** `claim_lost`: the claim (or the token's grant) has ended, or never existed. */
export function lostError(claimId?: string): TandemClaimedError {
  return new TandemClaimedError({
    code: 'claim_lost',
    message: `${claimId ? `Claim ${claimId}` : 'This claim'} is no longer held (expired, released, taken over or unknown)`,
    ...(claimId ? { param: 'claimId' } : {}),
  })
}

/** `claim_lost` for a claim that ended before it was granted (canceled, its holder gone, the server closing). */
export function waitEndedError(how: 'canceled' | 'released' | 'expired' | 'ended' | 'closing'): TandemClaimedError {
  const message =
    how === 'canceled'
      ? 'The claim was canceled while waiting'
      : how === 'closing'
        ? 'The server is closing; the claim was not granted'
        : how === 'ended'
          ? 'The claim ended while waiting'
          : `The claim ended (${how}) while waiting`
  return new TandemClaimedError({ code: 'claim_lost', message })
}

/** `claim_lost` for a write whose token belongs to an ended grant. */
export function writeLostError(): TandemClaimedError {
  return new TandemClaimedError({
    code: 'claim_lost',
    message: 'The claim this write was made under has ended (expired, released or taken over); re-read and claim again',
    param: 'claimToken',
  })
}

/** `claim_lost` for a live claim presented by a credential that did not acquire it (a leaked token or id). */
export function notYoursError(param: 'claimId' | 'claimToken' | 'token'): TandemClaimedError {
  return new TandemClaimedError({
    code: 'claim_lost',
    message: 'This claim was acquired with another credential: only the key or session that acquired it (or a secret key, to release or renew it) may use it',
    param,
  })
}

/** `queue_too_deep`: `ahead` conflicting claims are ahead, and at most `maxQueueDepth - 1` may be. */
export function queueTooDeepError(ahead: number, maxQueueDepth: number): TandemClaimedError {
  return new TandemClaimedError({
    code: 'queue_too_deep',
    message: `${ahead} claim(s) ahead; maxQueueDepth is ${maxQueueDepth}`,
    details: { ahead, maxQueueDepth },
  })
}

/** `too_many_waiting_claims`: this session already has its quota of claims waiting in lines. */
export function tooManyWaitingError(waiting: number, maxWaitingPerSession: number): TandemClaimedError {
  return new TandemClaimedError({
    code: 'too_many_waiting_claims',
    message: `This session already has ${waiting} claim(s) waiting; at most ${maxWaitingPerSession} may wait at once (claims.maxWaitingPerSession)`,
    details: { waiting, maxWaitingPerSession },
  })
}

/** `grant_timeout`: not granted within the caller's `timeoutMs`. */
export function grantTimeoutError(timeoutMs: number | undefined, position?: number): TandemClaimedError {
  return new TandemClaimedError({
    code: 'grant_timeout',
    message: `Not granted within ${timeoutMs} ms`,
    ...(position !== undefined ? { details: { position } } : {}),
  })
}

/** A coordinator is handed durations it cannot honour: refuse before any state exists. */
export function checkDurations(input: { ttlMs: number; timeoutMs?: number | undefined }): void {
  const bad = (ms: number, limits: typeof claimTtlLimits) => !(Number.isInteger(ms) && ms >= limits.minMs && ms <= limits.maxMs)
  if (bad(input.ttlMs, claimTtlLimits)) {
    throw new TandemValidationError({ code: 'invalid_request', message: durationRule(claimTtlLimits), param: 'ttl' })
  }
  if (input.timeoutMs !== undefined && bad(input.timeoutMs, claimTimeoutLimits)) {
    throw new TandemValidationError({ code: 'invalid_request', message: durationRule(claimTimeoutLimits), param: 'timeoutMs' })
  }
}
