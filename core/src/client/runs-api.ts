/** @module `tandem.runs`: a run's writes (`GET /v1/runs/:runId`) and their revert (`POST /v1/runs/:runId/revert`), over HTTP. */
import { checkRunId, runChangesPageSchema, runRevertResultSchema } from '../protocol/index.ts'
import type { ClientInternals } from './internals.ts'
import type { RunsApi } from './types.ts'

export function createRunsApi(internals: ClientInternals): RunsApi {
  return {
    async list(runId, options = {}) {
      const query = new URLSearchParams()
      if (options.after !== undefined) query.set('after', String(options.after))
      if (options.limit !== undefined) query.set('limit', String(options.limit))
      const path = `/v1/runs/${encodeURIComponent(checkRunId(runId))}${query.size ? `?${query}` : ''}`
      return runChangesPageSchema.parse(await internals.http('GET', path))
    },
    async revert(runId) {
      const path = `/v1/runs/${encodeURIComponent(checkRunId(runId))}/revert`
      return runRevertResultSchema.parse(await internals.http('POST', path, {}))
    },
  }
}
