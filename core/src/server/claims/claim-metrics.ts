/** @module Claim metrics: wait and hold times from the coordinator's events, and gauges of the lines read when scraped. */
import { Gauge } from 'prom-client'
import type { Metrics } from '../metrics.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'

/** Observe wait and hold times of the claims this node's coordinator grants and ends; count the lines on scrape. */
export function watchClaimTimes(claims: ClaimCoordinator, metrics: Metrics): () => void {
  // Grant times of the claims held now, to time their hold when they end (the entry goes at the end).
  const grantedAt = new Map<string, number>()
  const stop = claims.onEvent(({ event, state }) => {
    const now = Date.now()
    if (event === 'granted') {
      metrics.claimWait.observe(Math.max(0, now - Date.parse(state.createdAt)) / 1000)
      grantedAt.set(state.id, now)
    } else if (event === 'released' || event === 'expired') {
      const since = grantedAt.get(state.id)
      grantedAt.delete(state.id)
      if (since !== undefined) metrics.claimHold.observe({ end: event }, (now - since) / 1000)
    } else if (event === 'canceled') grantedAt.delete(state.id)
  })
  new Gauge({
    name: 'tandem_claims',
    help: 'Claims now: held (active) and waiting in line (queued); `line` is the number of rows with any',
    labelNames: ['status'] as const,
    registers: [metrics.registry],
    async collect() {
      const rows = await claims.all()
      const count = { active: 0, queued: 0 }
      for (const row of rows) for (const c of row.claims) if (c.status === 'active' || c.status === 'queued') count[c.status]++
      this.set({ status: 'active' }, count.active)
      this.set({ status: 'queued' }, count.queued)
      this.set({ status: 'line' }, rows.length)
    },
  })
  return stop
}
