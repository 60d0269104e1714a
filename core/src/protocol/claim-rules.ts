/**
 * @module What a claim covers, as pure functions shared by the server (who
 * waits, which writes are refused) and the client (which holder to show,
 * which token to attach). A whole-row claim covers every field of its row;
 * a field claim covers its field (and a delete of the row).
 */
import { TandemValidationError } from '../errors/index.ts'
import type { Schema } from '../schema/model.ts'
import { getModel } from '../schema/validate.ts'
import type { ClaimState, ClaimTarget } from './claims.ts'

/** The same row. */
export const sameRow = (a: { model: string; id: string }, b: { model: string; id: string }): boolean => a.model === b.model && a.id === b.id

/** Two claims conflict (one waits for the other) when either is whole-row or both name the same field. */
export function conflicts(a: ClaimTarget, b: ClaimTarget): boolean {
  if (!sameRow(a, b)) return false
  return a.field === undefined || b.field === undefined || a.field === b.field
}

/** Does a write (`fields` written, or null for a delete) touch what `claim` covers? */
export function writeTouches(claim: ClaimTarget, fields: readonly string[] | null): boolean {
  if (claim.field === undefined || fields === null) return true
  return fields.includes(claim.field)
}

/**
 * Which of the claims one holds on a row authorises a write of `fields` (null = delete):
 * a whole-row claim always, else a field claim on a written field (a field claim never deletes the row).
 */
export function claimForWrite<T extends { target: ClaimTarget }>(
  held: Iterable<T>,
  row: { model: string; id: string },
  fields: readonly string[] | null,
): T | undefined {
  let fieldClaim: T | undefined
  for (const h of held) {
    if (!sameRow(h.target, row)) continue
    if (h.target.field === undefined) return h
    if (fields !== null && fields.includes(h.target.field)) fieldClaim = h
  }
  return fieldClaim
}

/**
 * The holder to show for a target: for a field, the active claim covering it (its field claim or a
 * whole-row claim); for the row, the whole-row claim if any, else any field claim on it.
 */
export function holderFor(claims: readonly ClaimState[], field: string | undefined): ClaimState | null {
  const active = claims.filter((c) => c.status === 'active')
  if (field !== undefined) return active.find((c) => c.target.field === field || c.target.field === undefined) ?? null
  return active.find((c) => c.target.field === undefined) ?? active[0] ?? null
}

/** Claims of a row that concern `field` (every claim when no field is given): those that would conflict with a claim on it. */
export function claimsConcerning(claims: readonly ClaimState[], field: string | undefined): ClaimState[] {
  return claims.filter((c) => field === undefined || c.target.field === undefined || c.target.field === field)
}

/** The waiting line for a target, in order. */
export function queueFor(claims: readonly ClaimState[], field: string | undefined): ClaimState[] {
  return claimsConcerning(claims, field).filter((c) => c.status === 'queued')
}

/** A claim names a model of the schema and, for a field claim, one of its fields (`unknown_model`, `unknown_field`). */
export function checkClaimTarget(schema: Schema, target: { model: string; field?: string | undefined }): void {
  const def = getModel(schema, target.model)
  if (target.field !== undefined && !Object.hasOwn(def.shape, target.field)) {
    throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "${target.field}" on model "${target.model}"`, param: 'field' })
  }
}
