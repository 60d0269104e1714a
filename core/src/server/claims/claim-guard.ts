/**
 * @module Claims enforced at commit: a write to a claimed row or field is
 * refused unless it carries the holder's current fencing token; a token from
 * an ended grant is refused as `claim_lost`, however late it arrives.
 */
import { TandemClaimedError } from '../../errors/index.ts'
import type { WriteGuard } from '../commit-pipeline.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { writeOverlaps } from './claim-line.ts'
import { claimedError } from './memory-claims.ts'

export function claimGuard(claims: ClaimCoordinator): WriteGuard {
  return {
    async check({ op, claimToken }) {
      const mine = claimToken === undefined ? null : await claims.byToken(claimToken)
      if (claimToken !== undefined && !mine) {
        throw new TandemClaimedError({
          code: 'claim_lost',
          message: 'The claim this write was made under has ended (expired, released or taken over); re-read and claim again',
          param: 'claimToken',
        })
      }
      if (op.op === 'create') return
      const fields = op.op === 'delete' ? null : Object.keys(op.data)
      for (const active of await claims.activeOn(op.model, op.id)) {
        if (!writeOverlaps(active.state.target, fields)) continue
        if (mine && mine.state.id === active.state.id) continue
        throw claimedError(active.state)
      }
    },
  }
}
