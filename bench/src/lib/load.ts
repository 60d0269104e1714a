/**
 * @module How busy the server thread and the client (main) thread were while
 * Tandem was measured: event-loop utilization, summed over several runs. A
 * thread near 100% is what limits the number.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import type { ServerHandle } from '../servers/spawn.ts'

export interface LoadMeter {
  /** Run `fn`, adding the time both threads spent busy and idle meanwhile. */
  measure<T>(fn: () => Promise<T>): Promise<T>
  /** e.g. "server thread 93% busy, client thread 71% busy" */
  describe(): string
  server(): number
  client(): number
}

export function loadMeter(server: ServerHandle): LoadMeter {
  const total = { serverActive: 0, serverIdle: 0, clientActive: 0, clientIdle: 0 }
  const add = (prefix: 'server' | 'client', u: EventLoopUtilization) => {
    total[`${prefix}Active`] += u.active
    total[`${prefix}Idle`] += u.idle
  }
  const ratio = (active: number, idle: number) => (active + idle === 0 ? Number.NaN : active / (active + idle))
  const meter: LoadMeter = {
    async measure(fn) {
      const s0 = server.eventLoopUtilization()
      const c0 = performance.eventLoopUtilization()
      try {
        return await fn()
      } finally {
        add('server', server.eventLoopUtilization(s0))
        add('client', performance.eventLoopUtilization(c0))
      }
    },
    server: () => ratio(total.serverActive, total.serverIdle),
    client: () => ratio(total.clientActive, total.clientIdle),
    describe: () => `server thread ${(meter.server() * 100).toFixed(0)}% busy, client thread ${(meter.client() * 100).toFixed(0)}% busy`,
  }
  return meter
}
