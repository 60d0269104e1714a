/**
 * @module Claims enforced at commit: a write to a claimed row or field is
 * refused unless it carries the holder's current fencing token, sent with
 * the credential that acquired the claim; a token from an ended grant is
 * refused as `claim_lost`, however late it arrives.
 */
import type { PreparedOp, WriteGuard } from '../commit/commit-pipeline.ts'
import { writeTouches } from '../../protocol/index.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { claimedError, notYoursError, writeLostError } from './claim-errors.ts'

export function claimGuard(claims: ClaimCoordinator): WriteGuard {
  return { check: checkWith(claims), forBatch: (ops) => ({ check: checkWith(readAhead(claims, ops)) }) }
}

type ClaimReads = Pick<ClaimCoordinator, 'byToken' | 'activeOn'>

function checkWith(claims: ClaimReads): WriteGuard['check'] {
  return async ({ session, op, claimToken }) => {
    const mine = claimToken === undefined ? null : await claims.byToken(claimToken)
    if (claimToken !== undefined && !mine) throw writeLostError()
    // A token copied out of a log or transcript does not let another credential write under the claim.
    if (mine && mine.credentialId !== session.credentialId) throw notYoursError('claimToken')
    if (op.op === 'create') return
    const fields = op.op === 'delete' ? null : Object.keys(op.data)
    for (const active of await claims.activeOn(op.model, op.id)) {
      if (!writeTouches(active.state.target, fields)) continue
      if (mine && mine.state.id === active.state.id) continue
      throw claimedError(active.state)
    }
  }
}

/**
 * The claim reads a batch's checks make, all asked for at its start: a store-backed coordinator reads each
 * line from the database, and one read per operation in turn would hold the commit lock that much longer.
 * Lines change only under that lock, so what is read at the start holds for the whole batch.
 */
function readAhead(claims: ClaimReads, ops: ReadonlyArray<{ op: PreparedOp; claimToken: string | undefined }>): ClaimReads {
  const early = new Map<string, Promise<unknown>>()
  const ask = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let answer = early.get(key) as Promise<T> | undefined
    if (!answer) {
      answer = read()
      answer.catch(() => undefined) // awaited by the check that needs it
      early.set(key, answer)
    }
    return answer
  }
  const reads: ClaimReads = {
    byToken: (token) => ask(`token\u0000${token}`, () => claims.byToken(token)),
    activeOn: (model, id) => ask(`row\u0000${model}\u0000${id}`, () => claims.activeOn(model, id)),
  }
  for (const { op, claimToken } of ops) {
    if (claimToken !== undefined) void reads.byToken(claimToken)
    if (op.op !== 'create') void reads.activeOn(op.model, op.id)
  }
  return reads
}
