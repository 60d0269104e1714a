/**
 * @module Acquire a claim end to end, for HTTP and WebSocket alike: check the
 * row exists for this session, join the line, and on grant re-read the row
 * once every commit accepted before the grant is durable.
 */
import { TandemNotFoundError, TandemValidationError } from '../../errors/index.ts'
import type { ClaimGrant, ClaimRequest, ClaimTarget } from '../../protocol/index.ts'
import { claimRequestSchema } from '../../protocol/index.ts'
import type { Schema } from '../../schema/model.ts'
import { getModel } from '../../schema/validate.ts'
import type { CommitPipeline } from '../commit-pipeline.ts'
import type { Session } from '../session.ts'
import { getVisibleRow, type Store } from '../store.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { parseOrThrow } from '../http-errors.ts'

export interface ClaimsConfig {
  /** Lease length when the caller gives none (default 30 s). */
  defaultTtlMs?: number
  /** How long a disconnected holder keeps its claims (default 5 s). */
  disconnectGraceMs?: number
}

export interface ClaimServiceContext {
  schema: Schema
  store: Store
  pipeline: CommitPipeline
  claims: ClaimCoordinator
  config: Required<ClaimsConfig>
}

export function checkTarget(schema: Schema, target: ClaimTarget): void {
  const def = getModel(schema, target.model)
  if (target.field !== undefined && !Object.hasOwn(def.shape, target.field)) {
    throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "${target.field}" on model "${target.model}"`, param: 'field' })
  }
}

/** The row a claim is about, or `not_found` when the session cannot see it. */
export async function visibleRow(ctx: Pick<ClaimServiceContext, 'store'>, session: Session, target: { model: string; id: string }) {
  const found = await getVisibleRow(ctx.store, target.model, target.id, session.groups)
  if (!found) {
    throw new TandemNotFoundError({ code: 'not_found', message: `${target.model} "${target.id}" not found`, param: 'id' })
  }
  return found
}

export async function acquireClaim(ctx: ClaimServiceContext, session: Session, raw: ClaimRequest, ownerId: string, signal?: AbortSignal): Promise<ClaimGrant> {
  const req = parseOrThrow(claimRequestSchema, raw, 'claim request')
  const target: ClaimTarget = { model: req.model, id: req.id, ...(req.field !== undefined ? { field: req.field } : {}) }
  checkTarget(ctx.schema, target)
  const found = await visibleRow(ctx, session, target)
  const grant = await ctx.claims.acquire({
    target,
    action: req.action ?? '',
    wait: req.wait ?? true,
    ...(req.maxQueueDepth !== undefined ? { maxQueueDepth: req.maxQueueDepth } : {}),
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
    ttlMs: req.ttl ?? ctx.config.defaultTtlMs,
    holder: session.actor,
    credentialId: session.credentialId,
    ownerId,
    groups: found.groups,
    ...(signal ? { signal } : {}),
  })
  // Writes accepted before the grant may still be in the commit queue: let them land, then read.
  await ctx.pipeline.flushed()
  const fresh = await ctx.store.getRow(target.model, target.id)
  if (!fresh) {
    await ctx.claims.release(grant.state.id, 'canceled')
    throw new TandemNotFoundError({ code: 'not_found', message: `${target.model} "${target.id}" was deleted before the claim was granted`, param: 'id' })
  }
  return { claim: grant.state, token: grant.token, data: fresh.row, ttlMs: req.ttl ?? ctx.config.defaultTtlMs }
}
