/**
 * @module Claims enforced at commit: a write to a claimed row or field is
 * refused unless it carries the holder's current fencing token, sent with
 * the credential that acquired the claim; a token from an ended grant is
 * refused as `claim_lost`, however late it arrives.
 */
import type { WriteGuard } from '../commit/commit-pipeline.ts'
import { writeTouches } from '../../protocol/index.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { claimedError, notYoursError, writeLostError } from './claim-errors.ts'

export function claimGuard(claims: ClaimCoordinator): WriteGuard {
  return {
    async check({ session, op, claimToken }) {
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
    },
  }
}
