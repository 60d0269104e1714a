/**
 * @module Webhooks: a commit (POST /v1/commits) until a local receiver has the
 * signed event (p50 / p99, one at a time), and events/s delivered when a
 * backlog drains to one receiver. Baseline, in the same run: a bare signed
 * node:http POST loop to the same receiver (one event per POST for the
 * latency, batches of the same size for the throughput).
 */
import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import { join } from 'node:path'
import { signedHeaders, verify } from '@tandem/webhooks/signing'
import { loadMeter } from '../lib/load.ts'
import { postCommit } from '../lib/http.ts'
import { taskData } from '../lib/schema.ts'
import { now, percentile, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer, type ServerHandle } from '../servers/spawn.ts'

/** The webhooks plugin's default batch size. */
const batchSize = 100

/** Verifies every request and calls `onEvent` with each event's objectId. */
class Receiver {
  secret = ''
  onEvent: (objectId: string) => void = () => {}
  private server: Server | null = null
  url = ''
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        verify(this.secret, req.headers as Record<string, string>, body)
        res.writeHead(204).end()
        for (const e of (JSON.parse(body) as { data: Array<{ objectId: string }> }).data) this.onEvent(e.objectId)
      })
    }).listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`
  }
  close(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()))
  }
}

/** The floor: one signed POST on a fresh connection (as the plugin sends), awaited to its answer. */
function rawPost(url: string, secret: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) } }, (res) => {
      res.resume()
      res.on('end', () => resolve())
    })
    req.on('error', reject)
    req.end(body)
  })
}

const event = (i: number, prefix: string) =>
  JSON.stringify({
    id: `evt_${i}_0`,
    type: 'tasks.created',
    model: 'tasks',
    objectId: `${prefix}-${i}`,
    data: { id: `${prefix}-${i}`, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', syncId: i, ...taskData(i) },
    previous: null,
    syncId: i,
    actor: { id: 'sk_bench', kind: 'agent', transport: 'http' },
    stale: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  })

async function api(server: ServerHandle, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${server.secretKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!res.ok) throw new Error(`bench: ${method} ${path} answered ${res.status}: ${await res.text()}`)
  return res.json()
}

export const webhooksScenario: Scenario = {
  name: 'webhooks',
  title: 'commit → signed webhook received (p50 / p99) and events/s delivered to one receiver, beside a raw POST loop',
  async run(o) {
    const samples = o.quick ? 200 : 1500
    const backlog = o.quick ? 3000 : 20_000
    const timeCapMs = o.quick ? 20_000 : 120_000
    const tandem = await spawnServer({ kind: 'tandem', webhooks: true, dbPath: join(o.tmpDir, 'webhooks.db') })
    const receiver = new Receiver()
    await receiver.start()
    const load = loadMeter(tandem)
    try {
      const endpoint = await api(tandem, 'POST', '/v1/webhook_endpoints', { url: receiver.url })
      receiver.secret = endpoint.secret as string
      const waitFor = (objectId: string) => new Promise<void>((r) => (receiver.onEvent = (id) => id === objectId && r()))

      // Latency: one commit at a time until its event arrives; the baseline POST beside each.
      const seen: number[] = []
      const afterAnswer: number[] = []
      const raw: number[] = []
      const deadline = now() + timeCapMs
      for (let i = 0; i < samples + 20 && now() < deadline; i++) {
        const arrived = waitFor(`lat-${i}`)
        const t0 = now()
        let answered = 0
        await load.measure(async () => {
          await postCommit(tandem.url, tandem.secretKey, [{ op: 'create', model: 'tasks', id: `lat-${i}`, data: taskData(i) }])
          answered = now()
          await withDeadline(arrived, 10_000, 'webhook delivery')
        })
        const t1 = now()
        const rawArrived = waitFor(`raw-${i}`)
        const r0 = now()
        await rawPost(receiver.url, receiver.secret, `{"data":[${event(i, 'raw')}]}`)
        await rawArrived
        const r1 = now()
        if (i < 20) continue
        seen.push(t1 - t0)
        afterAnswer.push(t1 - answered)
        raw.push(r1 - r0)
      }

      // Throughput: a backlog written while the endpoint is disabled, then drained by the worker.
      await api(tandem, 'PATCH', `/v1/webhook_endpoints/${endpoint.id}`, { status: 'disabled' })
      for (let i = 0; i < backlog; i += batchSize) {
        const ops = Array.from({ length: Math.min(batchSize, backlog - i) }, (_, k) => ({
          op: 'create' as const,
          model: 'tasks' as const,
          id: `bl-${i + k}`,
          data: taskData(i + k),
        }))
        await postCommit(tandem.url, tandem.secretKey, ops)
      }
      let received = 0
      const drained = new Promise<void>((r) => (receiver.onEvent = () => ++received === backlog && r()))
      const d0 = now()
      await load.measure(async () => {
        await api(tandem, 'PATCH', `/v1/webhook_endpoints/${endpoint.id}`, { status: 'enabled' })
        await withDeadline(drained, timeCapMs, 'webhook backlog')
      })
      const drainMs = now() - d0

      let rawEvents = 0
      const r0 = now()
      const batchBody = (n: number) => `{"data":[${Array.from({ length: batchSize }, (_, k) => event(n + k, 'rawbatch')).join(',')}]}`
      receiver.onEvent = () => {}
      for (let n = 0; n < backlog; n += batchSize) {
        await rawPost(receiver.url, receiver.secret, batchBody(n))
        rawEvents += batchSize
      }
      const rawMs = now() - r0
      o.log(`webhooks: ${seen.length} latency samples; backlog ${backlog} events in ${drainMs.toFixed(0)} ms (raw ${rawMs.toFixed(0)} ms)`)
      const note = `one create per commit over HTTP, SQLite store; the receiver (main thread) verifies every signature; the baseline is a signed node:http POST of one event on a fresh connection; ${load.describe()}`
      const results: Result[] = [
        {
          scenario: 'webhooks',
          metric: 'commit → webhook received, p50',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(seen, 50),
          baseline: percentile(raw, 50),
          note,
        },
        {
          scenario: 'webhooks',
          metric: 'commit → webhook received, p99',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(seen, 99),
          baseline: percentile(raw, 99),
        },
        {
          scenario: 'webhooks',
          metric: 'commit answered → webhook received, p50',
          unit: 'ms',
          better: 'lower',
          tandem: percentile(afterAnswer, 50),
          baseline: percentile(raw, 50),
          note: 'the delivery part alone: from the commit’s HTTP answer to the event at the receiver (0 or less when the webhook came first)',
        },
        {
          scenario: 'webhooks',
          metric: `events/s delivered, backlog of ${backlog}`,
          unit: '/s',
          better: 'higher',
          tandem: (backlog / drainMs) * 1000,
          baseline: (rawEvents / rawMs) * 1000,
          note: `batches of ${batchSize} events (the default maxBatchEvents), one POST at a time per endpoint; baseline: the same batches POSTed in a loop from the main thread`,
        },
      ]
      return results
    } finally {
      await Promise.all([tandem.close(), receiver.close()])
    }
  },
}
