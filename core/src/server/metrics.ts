/** @module `GET /metrics`: the server's metrics in a prom-client Registry of its own (several servers in one process never share one). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** A prom-client registry; plugins add metrics with `new Gauge({ …, registers: [ctx.metrics] })`. */
export type MetricsRegistry = Registry

/** Where a request or frame came in. */
export type Door = 'http' | 'websocket' | 'server'

const fast = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const slow = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600]

export class Metrics {
  readonly registry: Registry = new Registry()
  readonly commits = new Counter({
    name: 'tandem_commits_total',
    help: 'Log entries this node fanned out (commits and claim events, of every node)',
    registers: [this.registry],
  })
  readonly httpRequests = new Counter({ name: 'tandem_http_requests_total', help: 'Authenticated /v1/ requests served', registers: [this.registry] })
  readonly rateLimited = new Counter({ name: 'tandem_rate_limited_total', help: 'Requests refused with 429 rate_limited', registers: [this.registry] })
  readonly refusals = new Counter({
    name: 'tandem_refusals_total',
    help: 'Requests and frames answered with an error, by error code and door',
    labelNames: ['code', 'transport'] as const,
    registers: [this.registry],
  })
  readonly commitDuration = new Histogram({
    name: 'tandem_commit_duration_seconds',
    help: 'From a validated commit entering the pipeline to its answer (committed or refused), by door',
    labelNames: ['transport'] as const,
    buckets: fast,
    registers: [this.registry],
  })
  readonly fanOutDelay = new Histogram({
    name: 'tandem_fanout_delay_seconds',
    help: 'From a log entry being written (its createdAt) to its fan-out on this node; across nodes it includes clock skew',
    buckets: fast,
    registers: [this.registry],
  })
  readonly claimWait = new Histogram({
    name: 'tandem_claim_wait_seconds',
    help: 'From a claim being asked for to its grant (0 when granted at once)',
    buckets: slow,
    registers: [this.registry],
  })
  readonly claimHold = new Histogram({
    name: 'tandem_claim_hold_seconds',
    help: 'From a grant to the end of the hold, by how it ended (released or expired)',
    labelNames: ['end'] as const,
    buckets: slow,
    registers: [this.registry],
  })
  readonly longPolls = new Gauge({ name: 'tandem_long_polls', help: 'GET /v1/changes requests waiting for a commit', registers: [this.registry] })

  constructor() {
    this.gauge('process_resident_memory_bytes', 'Resident memory size in bytes', () => process.memoryUsage().rss)
    this.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes', () => process.memoryUsage().heapUsed)
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number | Promise<number>): Gauge {
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read())
      },
    })
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics()
  }
}
