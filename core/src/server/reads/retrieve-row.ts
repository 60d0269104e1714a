/** @module Read one row for a session, honouring `ifClaimed` (return, wait until released, or fail). */
import { TandemClaimedError, TandemNotFoundError } from '../../errors/index.ts'
import { getModel } from '../../schema/validate.ts'
import type { Session } from '../identity/session.ts'
import { getVisibleRow } from '../store.ts'
import { claimedError } from '../claims/claim-errors.ts'
import type { ServerContext } from '../server-context.ts'

/** Read one row; `ifClaimed` decides what happens while someone holds a claim on it. */
export async function retrieveRow(
  ctx: Pick<ServerContext, 'schema' | 'store' | 'claims'>,
  session: Session,
  params: { model: string; id: string; ifClaimed?: 'return' | 'wait' | 'fail' | undefined; timeoutMs?: number | undefined },
): Promise<unknown> {
  getModel(ctx.schema, params.model)
  const read = () => getVisibleRow(ctx.store, params.model, params.id, session.groups)
  const found = await read()
  if (!found || (params.ifClaimed ?? 'return') === 'return') return found ? found.row : null
  const { claims } = ctx.claims
  const holder = (await claims.activeOn(params.model, params.id))[0]
  if (!holder) return found.row
  // Worded as a write refused by the same claim (one message for both doors and verbs).
  if (params.ifClaimed === 'fail') throw claimedError(holder.state)
  await new Promise<void>((resolve, reject) => {
    const timer =
      params.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => (off(), reject(new TandemClaimedError({ code: 'grant_timeout', message: `Still claimed after ${params.timeoutMs} ms` }))),
            params.timeoutMs,
          )
    const off = claims.onChange((c) => {
      if (c.model !== params.model || c.id !== params.id || c.claims.some((s) => s.status === 'active')) return
      clearTimeout(timer)
      off()
      resolve()
    })
    void claims.activeOn(params.model, params.id).then((a) => a.length === 0 && (clearTimeout(timer), off(), resolve()))
  })
  await ctx.claims.pipeline.flushed()
  const fresh = await read()
  if (!fresh) throw new TandemNotFoundError({ code: 'not_found', message: `${params.model} "${params.id}" not found`, param: 'id' })
  return fresh.row
}
