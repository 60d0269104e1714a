/**
 * @module The claim policy, once for both doors (WebSocket `rpc` frames and
 * the HTTP routes): acquire, heartbeat, release and reorder, each given the
 * caller's session and the owner the claim is attached to. The rules are in
 * docs/claims.md ("Who may do what"):
 * - the holder is the credential that acquired the claim; a secret key acts
 *   as admin (release, heartbeat, reorder anything);
 * - anyone else is told `claim_lost` for release and heartbeat (as for an
 *   unknown, ended or expired claim), and `forbidden` for reorder;
 * - a release waits until every commit accepted before it has landed.
 */
import { z } from 'zod'
import { TandemAuthError, TandemNotFoundError, TandemValidationError } from '../../errors/index.ts'
import {
  checkClaimTarget,
  type ClaimGrant,
  type ClaimQueue,
  type ClaimReorderParams,
  type ClaimState,
  type ClaimTarget,
  claimTtlLimits,
  claimTtlSchema,
  conflicts,
  type ParsedClaimRequest,
} from '../../protocol/index.ts'
import type { Schema } from '../../schema/model.ts'
import type { CommitPipeline } from '../commit/commit-pipeline.ts'
import type { Session } from '../identity/session.ts'
import { getVisibleRow, type Store } from '../store.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { lostError, notYoursError, tooManyWaitingError } from './claim-errors.ts'

export interface ClaimsConfig {
  /** Lease length when the caller gives none (default 30 s; at most 24 h). */
  defaultTtlMs?: number
  /** How long a disconnected holder keeps its claims (default 5 s). */
  disconnectGraceMs?: number
  /** Ceiling on every claim's `maxQueueDepth`: a claim with this many or more conflicting claims ahead is refused (default 100). */
  maxQueueDepth?: number
  /** Claims one session token may have waiting at once, on one server node (default 20; secret keys are not capped). */
  maxWaitingPerSession?: number
  /** Several nodes on one store: a node silent this long counts as dead and its waiters leave the lines (default 15 s). */
  nodeTimeoutMs?: number
}

const configSchema = z.strictObject({
  defaultTtlMs: claimTtlSchema.default(30_000),
  disconnectGraceMs: z.number().int().min(0).max(claimTtlLimits.maxMs).default(5_000),
  maxQueueDepth: z.number().int().positive().max(100_000).default(100),
  maxWaitingPerSession: z.number().int().positive().max(100_000).default(20),
  nodeTimeoutMs: z.number().int().min(100).max(claimTtlLimits.maxMs).default(15_000),
})

/** `createServer({ claims })` with its defaults filled in; refuses values no claim could live with. */
export function resolveClaimsConfig(config: ClaimsConfig = {}): Required<ClaimsConfig> {
  const parsed = configSchema.safeParse(config)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const path = issue.path.map(String).join('.')
  throw new TandemValidationError({ code: 'invalid_request', message: `createServer({ claims }): ${path}: ${issue.message}`, param: `claims.${path}` })
}

export interface ClaimServiceContext {
  schema: Schema
  store: Store
  pipeline: CommitPipeline
  claims: ClaimCoordinator
  config: Required<ClaimsConfig>
}

/** Who asks: the session, and the owner a claim is attached to (a WebSocket connection id, or `http:<credential>`). */
export interface ClaimCaller {
  session: Session
  ownerId: string
}

/** The row a claim is about, or `not_found` when the session cannot see it. */
export async function visibleRow(ctx: Pick<ClaimServiceContext, 'store'>, session: Session, target: { model: string; id: string }) {
  const found = await getVisibleRow(ctx.store, target.model, target.id, session.groups)
  if (!found) {
    throw new TandemNotFoundError({ code: 'not_found', message: `${target.model} "${target.id}" not found`, param: 'id' })
  }
  return found
}

const targetOf = (t: { model: string; id: string; field?: string | undefined }): ClaimTarget => ({
  model: t.model,
  id: t.id,
  ...(t.field !== undefined ? { field: t.field } : {}),
})

/** Claims each session token has in flight (waiting, or about to be granted), per coordinator. */
const inFlight = new WeakMap<ClaimCoordinator, Map<string, number>>()

/**
 * Join the line and, on grant, re-read the row once every commit accepted before the grant is
 * durable. `request` is already parsed (`claimRequestSchema`) by the door it came through.
 */
export async function acquireClaim(ctx: ClaimServiceContext, caller: ClaimCaller, request: ParsedClaimRequest, signal?: AbortSignal): Promise<ClaimGrant> {
  const { session } = caller
  const target = targetOf(request)
  checkClaimTarget(ctx.schema, target)
  const found = await visibleRow(ctx, session, target)
  const ttlMs = request.ttl ?? ctx.config.defaultTtlMs
  const maxQueueDepth = Math.min(request.maxQueueDepth ?? Infinity, ctx.config.maxQueueDepth)

  // A session at its quota may still take a free claim, but may not wait for a busy one.
  let counts = inFlight.get(ctx.claims)
  if (!counts) inFlight.set(ctx.claims, (counts = new Map()))
  const capped = !session.secret
  const waiting = counts.get(session.credentialId) ?? 0
  const atQuota = capped && waiting >= ctx.config.maxWaitingPerSession
  const wait = (request.wait ?? true) && !atQuota
  if (capped) counts.set(session.credentialId, waiting + 1)
  let grant
  try {
    grant = await ctx.claims.acquire({
      target,
      action: request.action ?? '',
      wait,
      maxQueueDepth,
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ttlMs,
      holder: session.actor,
      credentialId: session.credentialId,
      ownerId: caller.ownerId,
      groups: found.groups,
      ...(signal ? { signal } : {}),
    })
  } catch (error) {
    if (atQuota && (request.wait ?? true) && (error as { code?: unknown }).code === 'entity_claimed') {
      throw tooManyWaitingError(waiting, ctx.config.maxWaitingPerSession)
    }
    throw error
  } finally {
    if (capped) {
      const left = (counts.get(session.credentialId) ?? 1) - 1
      if (left > 0) counts.set(session.credentialId, left)
      else counts.delete(session.credentialId)
    }
  }
  // Writes accepted before the grant may still be in the commit queue: let them land, then read.
  await ctx.pipeline.flushed({ writesOnly: true })
  const fresh = await ctx.store.getRow(target.model, target.id)
  if (!fresh) {
    await ctx.claims.release(grant.state.id, 'canceled')
    throw new TandemNotFoundError({ code: 'not_found', message: `${target.model} "${target.id}" was deleted before the claim was granted`, param: 'id' })
  }
  return { claim: grant.state, token: grant.token, data: fresh.row, ttlMs }
}

/**
 * Renew a lease, named by its fencing token (WebSocket) or its id (HTTP). The holder's heartbeat
 * also attaches the claim to the caller's owner (a client that reconnected takes its claims along);
 * a secret key's renews without moving it.
 */
export async function heartbeatClaim(ctx: ClaimServiceContext, caller: ClaimCaller, ref: { token: string } | { claimId: string }): Promise<ClaimState> {
  const claim = 'token' in ref ? await ctx.claims.byToken(ref.token) : await ctx.claims.get(ref.claimId)
  if (!claim) throw lostError('claimId' in ref ? ref.claimId : undefined)
  const holder = claim.credentialId === caller.session.credentialId
  if (!holder && !caller.session.secret) throw notYoursError('token' in ref ? 'token' : 'claimId')
  return ctx.claims.heartbeat(claim.token, holder ? caller.ownerId : undefined)
}

/** End a claim (held or waiting), once every commit accepted before this request has landed. */
export async function releaseClaim(ctx: ClaimServiceContext, caller: ClaimCaller, claimId: string): Promise<ClaimState> {
  const claim = await ctx.claims.get(claimId)
  if (!claim) throw lostError(claimId)
  if (claim.credentialId !== caller.session.credentialId && !caller.session.secret) throw notYoursError('claimId')
  // The holder's writes sent before the release land first, so the next holder is granted a row with them.
  await ctx.pipeline.flushed({ writesOnly: true })
  const final = await ctx.claims.release(claimId)
  if (!final) throw lostError(claimId)
  return final
}

/** Reorder the waiting line of a target: its holder or a secret key. Ids that are not waiting there are ignored. */
export async function reorderClaims(ctx: ClaimServiceContext, caller: ClaimCaller, params: ClaimReorderParams): Promise<ClaimQueue> {
  const { session } = caller
  const target = targetOf(params)
  checkClaimTarget(ctx.schema, target)
  await visibleRow(ctx, session, target)
  const holds = (await ctx.claims.activeOn(target.model, target.id)).some((a) => a.credentialId === session.credentialId && conflicts(a.state.target, target))
  if (!holds && !session.secret) throw new TandemAuthError({ code: 'forbidden', message: 'Only the holder or a secret key may reorder the line' })
  await ctx.claims.reorder(target, params.order)
  return { object: 'claim_queue', claims: await ctx.claims.claimsOn(target.model, target.id) }
}
