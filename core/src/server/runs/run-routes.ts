/** @module The run routes: `GET /v1/runs/:runId` (a run's changes, in log order) and `POST /v1/runs/:runId/revert`. */
import { Hono } from 'hono'
import { TandemNotFoundError } from '../../errors/index.ts'
import { apiRoutes, checkRunId, type LogEntry, type RunChangesPage } from '../../protocol/index.ts'
import { mountRoute } from '../http/mount-route.ts'
import type { Session } from '../identity/session.ts'
import type { ServerContext } from '../server-context.ts'
import { visibleEntries } from '../sync/hub.ts'
import { revertRun } from './run-revert.ts'

type Env = { Variables: { session: Session } }

/** Up to `limit` of the run's entries after `after` that show the session a change (with only those changes). */
async function runPage(ctx: ServerContext, session: Session, runId: string, after: number, limit: number): Promise<RunChangesPage> {
  const data: LogEntry[] = []
  let cursor = after
  let more = true
  while (data.length < limit && more) {
    const want = limit - data.length
    const entries = await ctx.store.readRunLog(runId, cursor, want + 1)
    more = entries.length > want
    for (const e of entries.slice(0, want)) {
      cursor = e.syncId
      const visible = visibleEntries([e], session.groups)[0]
      if (visible && visible.changes.length > 0) data.push(visible)
    }
  }
  return { object: 'list', runId, data, hasMore: more, nextCursor: more ? cursor : null }
}

export function runRoutes(ctx: ServerContext): Hono<Env> {
  const app = new Hono<Env>()

  mountRoute(app, apiRoutes.listRunChanges, async (c, { params, query: q }) => {
    const runId = checkRunId(params.runId)
    const page = await runPage(ctx, c.get('session'), runId, q.after, q.limit)
    // Nothing of the run the session may see, from its start: the run does not exist for it.
    if (q.after === 0 && page.data.length === 0) throw new TandemNotFoundError({ code: 'not_found', message: `Run "${runId}" not found`, param: 'runId' })
    return c.json(page)
  })

  mountRoute(app, apiRoutes.revertRun, async (c, { params }) => c.json(await revertRun(ctx, c.get('session'), checkRunId(params.runId))))

  return app
}
