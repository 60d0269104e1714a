/**
 * `GET /metrics` through prom-client: `promtool check metrics` (Prometheus'
 * own linter, from Debian's `prometheus` package) finds nothing, every metric
 * has HELP and TYPE, and the histograms, gauges and counters move with what
 * the server does. Two servers in one process keep separate registries.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { createServer, memoryStore, type TandemServer } from '@tandem/core/server'
import { webhooks } from '@tandem/webhooks'
import { schema } from './openapi-client/schema.ts'

const promtool = process.env['PROMTOOL_PATH'] ?? '/usr/bin/promtool'
const hasPromtool = existsSync(promtool)

let server: TandemServer
let other: TandemServer

beforeAll(async () => {
  ;[server, other] = await Promise.all([
    createServer({ schema, store: memoryStore(), port: 0, plugins: [webhooks({ allowPrivateUrls: true })] }),
    createServer({ schema, store: memoryStore(), port: 0 }),
  ])
})
afterAll(async () => {
  await Promise.all([server?.close(), other?.close()])
})

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.secretKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as any }
}
const scrape = async (s: TandemServer) => {
  const res = await fetch(`${s.url}/metrics`)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return res.text()
}
/** The value of one sample, e.g. `tandem_refusals_total{code="not_found",transport="http"}`. */
const sample = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? undefined : Number(line.slice(name.length + 1))
}

function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ['check', 'metrics'])
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
    child.stdin.end(text)
  })
}

describe('GET /metrics', () => {
  it('moves with commits (by door), fan-out, claims, refusals, connections and webhook backlog', async () => {
    const endpoint = await call('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', status: 'disabled' })
    expect(endpoint.status).toBe(201)

    const client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    await client.ready()
    await client.tasks.create({ id: 'ws1', data: { title: 'Over the socket' } })
    expect((await call('POST', '/v1/commits', { operations: [{ op: 'create', model: 'tasks', id: 'h1', data: { title: 'Over HTTP' } }] })).status).toBe(200)

    const claim = await call('POST', '/v1/claims', { model: 'tasks', id: 'h1' })
    expect(claim.status).toBe(200)
    const held = await scrape(server)
    expect(sample(held, 'tandem_claims{status="active"}')).toBe(1)
    expect(sample(held, 'tandem_claims{status="line"}')).toBe(1)
    expect(sample(held, 'tandem_connections')).toBe(1)
    expect(sample(held, 'tandem_presence_entries')).toBe(1)

    const head = (await call('GET', '/v1/changes?after=0&limit=1000')).body.syncId as number
    expect((await call('DELETE', `/v1/claims/${claim.body.id}`)).body.status).toBe('released')
    // The release reaches the log through the same event the hold time is observed on: wait for it there.
    const released = await call('GET', `/v1/changes?after=${head}&wait=10`)
    expect(released.body.data.map((e: any) => e.claim?.event)).toContain('released')

    expect((await call('POST', '/v1/commits', { operations: [] })).status).toBe(400)
    expect((await call('GET', '/v1/models/tasks/nope')).status).toBe(404)
    await expect(client.tasks.update({ id: 'missing', data: { title: 'x' } })).rejects.toMatchObject({ code: 'not_found' })

    const text = await scrape(server)
    expect(sample(text, 'tandem_commit_duration_seconds_count{transport="http"}')).toBe(1)
    expect(sample(text, 'tandem_commit_duration_seconds_count{transport="websocket"}')).toBe(2) // one committed, one refused
    expect(sample(text, 'tandem_fanout_delay_seconds_count')).toBe(sample(text, 'tandem_commits_total'))
    expect(sample(text, 'tandem_commits_total')).toBe(4) // two creates, the grant, the release
    expect(sample(text, 'tandem_claim_wait_seconds_count')).toBe(1)
    expect(sample(text, 'tandem_claim_hold_seconds_count{end="released"}')).toBe(1)
    expect(sample(text, 'tandem_claims{status="active"}')).toBe(0)
    expect(sample(text, 'tandem_refusals_total{code="invalid_request",transport="http"}')).toBe(1)
    expect(sample(text, 'tandem_refusals_total{code="not_found",transport="http"}')).toBe(1)
    expect(sample(text, 'tandem_refusals_total{code="not_found",transport="websocket"}')).toBe(1)
    expect(sample(text, `tandem_webhook_backlog{endpoint="${endpoint.body.id}",status="disabled"}`)).toBe(4)
    expect(sample(text, 'tandem_long_polls')).toBe(0)

    // The other server's registry saw none of it.
    const quiet = await scrape(other)
    expect(sample(quiet, 'tandem_commits_total')).toBe(0)
    expect(quiet).not.toContain('tandem_webhook_backlog')
    await client.dispose()
  })

  it('has HELP and TYPE on every metric', async () => {
    const text = await scrape(server)
    const names = new Set(text.split('\n').flatMap((l) => (l && !l.startsWith('#') ? [l.split(/[{ ]/)[0]!.replace(/_(bucket|sum|count)$/, '')] : [])))
    expect(names.size).toBeGreaterThanOrEqual(15)
    for (const name of names) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'))
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'))
    }
  })

  it.skipIf(!hasPromtool && process.env['CI'] !== 'true')('passes `promtool check metrics`', async () => {
    expect(hasPromtool, `promtool not found at ${promtool} (apt-get install prometheus; npm's pretest does it as root)`).toBe(true)
    const result = await promtoolCheck(await scrape(server))
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })
})
