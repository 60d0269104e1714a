/** @module `GET /metrics`: Prometheus text with the server's counters and gauges. */

export class Metrics {
  commits = 0
  httpRequests = 0
  rateLimited = 0
  #gauges = new Map<string, () => number>()

  gauge(name: string, read: () => number): void {
    this.#gauges.set(name, read)
  }

  render(): string {
    const mem = process.memoryUsage()
    const lines: Array<[string, string, number]> = [
      ['tandem_commits_total', 'counter', this.commits],
      ['tandem_http_requests_total', 'counter', this.httpRequests],
      ['tandem_rate_limited_total', 'counter', this.rateLimited],
      ['process_resident_memory_bytes', 'gauge', mem.rss],
      ['nodejs_heap_used_bytes', 'gauge', mem.heapUsed],
      ...[...this.#gauges].map(([name, read]): [string, string, number] => [name, 'gauge', read()]),
    ]
    return lines.map(([name, type, value]) => `# TYPE ${name} ${type}\n${name} ${value}`).join('\n') + '\n'
  }
}
