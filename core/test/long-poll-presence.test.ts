/** Presence for long-poll clients rides on `GET /v1/changes`: one parked request per client, woken by commits and by presence. */
import Tandem, { httpTransport } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { defer, setup } from './helpers.ts'

const schema = defineSchema({ docs: model({ title: z.string() }) })

async function world(presence?: { httpTtlMs: number }) {
  const env = await setup({ schema, ...(presence ? { presence } : {}) })
  const token = async (userId: string) =>
    (await env.http('POST', '/v1/sessions', { userId, groups: ['org:a'], participant: { kind: 'human', name: userId } })).body.token as string
  const client = (apiKey: string, transport?: ReturnType<typeof httpTransport>) => {
    const c = Tandem({ schema, baseURL: env.server.url, apiKey, participant: { kind: 'human' }, ...(transport ? { transport } : {}) })
    defer(() => c.dispose())
    return c
  }
  const as = (bearer: string) => ({ authorization: `Bearer ${bearer}` })
  return { ...env, token, client, as }
}

/** A fetch that counts the GET requests waiting for an answer (a parked long-poll is one until the server answers). */
function countingFetch() {
  const stats = { inFlight: 0, maxInFlight: 0, paths: [] as string[] }
  const counting: typeof fetch = async (input, init) => {
    if ((init?.method ?? 'GET') !== 'GET') return fetch(input, init)
    const url = new URL(input instanceof Request ? input.url : String(input))
    stats.paths.push(url.pathname + url.search)
    stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight)
    try {
      return await fetch(input, init)
    } finally {
      stats.inFlight--
    }
  }
  return { stats, counting }
}

describe('long-poll presence on /v1/changes', () => {
  it('a long-poll client holds one parked request while it sees others join, set intents and leave', async () => {
    const w = await world()
    const { stats, counting } = countingFetch()
    const poller = w.client(await w.token('poller'), httpTransport({ fetch: counting }))
    await poller.ready()
    await until(poller, (t) => t.presence.list.get().some((e) => e.self))

    const other = w.client(await w.token('other'))
    await other.ready()
    await until(poller, (t) => t.presence.list.get().some((e) => e.participant.id === 'other'))
    const row = await other.docs.create({ data: { title: 'shared' } })
    other.presence.setIntent({ model: 'docs', id: row.id, action: 'editing' })
    await until(poller, (t) => t.presence.list.get().find((e) => e.participant.id === 'other')?.intent?.action === 'editing')
    await other.dispose()
    await until(poller, (t) => !t.presence.list.get().some((e) => e.participant.id === 'other'))

    expect(stats.maxInFlight).toBe(1)
    expect(stats.paths.some((p) => p.startsWith('/v1/changes?') && p.includes('&presence=') && p.includes('&connectionId=http_'))).toBe(true)
    // Presence is fetched without waiting; only /v1/changes parks.
    expect(stats.paths.filter((p) => p.startsWith('/v1/presence')).every((p) => !p.includes('wait='))).toBe(true)
  })

  it('GET /v1/changes?presence= wakes on a presence change and answers presenceVersion', async () => {
    const w = await world()
    const head = (await w.http('GET', '/v1/changes?after=0')).body.syncId as number
    const version = (await w.http('GET', '/v1/presence')).body.version as number
    const plain = await w.http('GET', `/v1/changes?after=${head}`)
    expect(plain.body).not.toHaveProperty('presenceVersion')

    const parked = w.http('GET', `/v1/changes?after=${head}&wait=30&presence=${version}`)
    const joined = await w.http('PUT', '/v1/presence', { intent: null })
    const page = await parked
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ object: 'list', data: [], cursor: head, presenceVersion: expect.any(Number) })
    expect(page.body.presenceVersion).toBeGreaterThan(version)
    const now = await w.http('GET', `/v1/presence?connectionId=${joined.body.connectionId}`)
    expect(page.body.presenceVersion).toBeLessThanOrEqual(now.body.version)

    // A version already behind answers at once; a commit still wakes a poll whose presence did not move.
    const behind = await w.http('GET', `/v1/changes?after=${head}&wait=30&presence=${version}`)
    expect(behind.body.presenceVersion).toBe(now.body.version)
    const waiting = w.http('GET', `/v1/changes?after=${head}&wait=30&presence=${now.body.version}`)
    await w.http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'docs', data: { title: 'wake' } }] })
    const woken = await waiting
    expect(woken.body.data).toHaveLength(1)
    expect(woken.body.presenceVersion).toBe(now.body.version)
  })

  it('refuses a bad presence param with a typed error', async () => {
    const w = await world()
    const bad = await w.http('GET', '/v1/changes?after=0&presence=soon')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ type: 'TandemValidationError', param: 'presence' })
  })

  it('keeps the caller’s own participant alive while parked and ignores a foreign connectionId', async () => {
    const w = await world({ httpTtlMs: 300 })
    const mine = (await w.http('PUT', '/v1/presence', { intent: null })).body.connectionId as string
    const other = await w.token('other')
    const theirs = (await w.http('PUT', '/v1/presence', { intent: null }, w.as(other))).body.connectionId as string
    const head = (await w.http('GET', '/v1/changes?after=0')).body.syncId as number

    // Both parked by the secret key's credential: only its own entry may be kept alive by them.
    const ownPoll = w.http('GET', `/v1/changes?after=${head}&wait=30&connectionId=${mine}`)
    const foreignPoll = w.http('GET', `/v1/changes?after=${head}&wait=30&connectionId=${theirs}`)
    const watcher = w.client(w.server.secretKey)
    await watcher.ready()
    await until(watcher, (t) => !t.presence.list.get().some((e) => e.connectionId === theirs))
    expect(watcher.presence.list.get().some((e) => e.connectionId === mine)).toBe(true)

    await w.http('POST', '/v1/commits', { operations: [{ op: 'create', model: 'docs', data: { title: 'wake' } }] })
    expect((await ownPoll).status).toBe(200)
    expect((await foreignPoll).status).toBe(200)
    expect((await w.http('GET', `/v1/changes?after=${head}&connectionId=nobody`)).status).toBe(200)
  })
})
