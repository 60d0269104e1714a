/** @module `GET /v1/audit?model&id`: a row's history with who did what, read from the log as the session's groups see it (like `/v1/changes`). */
import { Hono } from 'hono'
import { apiRoutes } from '../../protocol/index.ts'
import { getModel } from '../../schema/validate.ts'
import { mountRoute } from './mount-route.ts'
import type { Session } from '../identity/session.ts'
import type { Store } from '../store.ts'
import { visibleEntries } from '../sync/hub.ts'
import type { Schema } from '../../schema/model.ts'

type Env = { Variables: { session: Session } }

export function auditRoute(schema: Schema, store: Store): Hono<Env> {
  const app = new Hono<Env>()
  mountRoute(app, apiRoutes.audit, async (c, { query: q }) => {
    getModel(schema, q.model)
    const session = c.get('session')
    const data: unknown[] = []
    // The log has no per-row index yet: scan it in pages (fine for thousands of entries, slow for millions).
    for (let after = 0; ;) {
      const entries = await store.readLog(after, 1000)
      for (const e of visibleEntries(entries, session.groups)) {
        for (const ch of e.changes) {
          if (ch.model !== q.model || ch.id !== q.id) continue
          data.push({ syncId: e.syncId, op: ch.op, actor: e.actor, stale: e.stale, createdAt: e.createdAt, previous: ch.previous, data: ch.data })
        }
        if (e.claim && e.claim.state.target.model === q.model && e.claim.state.target.id === q.id) {
          data.push({ syncId: e.syncId, op: `claim.${e.claim.event}`, actor: e.actor, createdAt: e.createdAt, claim: e.claim.state })
        }
      }
      if (entries.length < 1000) break
      after = entries.at(-1)!.syncId
    }
    return c.json({ object: 'list', data: data.slice(-q.limit), hasMore: data.length > q.limit })
  })
  return app
}
