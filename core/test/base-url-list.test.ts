/** @module `baseURL` as a list: a node that refuses is skipped, a node that goes away is left for the next, and an empty list is refused. */
import { createServer as createNetServer } from 'node:net'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import Tandem, { TandemValidationError } from '@tandem/core'
import { memoryStore } from '@tandem/core/server'
import { startTestServer, until, untilStatus } from '@tandem/core/testing'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

/** A URL nothing listens on (a port just freed). */
async function deadURL(): Promise<string> {
  const probe = createNetServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const port = (probe.address() as { port: number }).port
  await new Promise((r) => probe.close(r))
  return `http://127.0.0.1:${port}`
}

describe('baseURL list', () => {
  it('connects to the next URL when the first refuses', async () => {
    const { server } = await setup()
    const c = Tandem({ schema, baseURL: [await deadURL(), server.url], apiKey: server.secretKey })
    defer(() => c.dispose())
    await c.ready()
    const task = await c.tasks.create({ data: { title: 'on the second URL' } })
    expect(task.syncId).toBeGreaterThan(0)
  })

  it('moves on to the next URL when its server goes away', async () => {
    // Two separate servers stand in for two nodes: only where the client goes matters here.
    const a = await startTestServer(schema)
    const b = await startTestServer(schema, { store: memoryStore(), secretKeys: [a.secretKey] })
    defer(() => b.close())
    const c = Tandem({ schema, baseURL: [a.url, b.url], apiKey: a.secretKey })
    defer(() => c.dispose())
    await c.ready()
    await a.close()
    await untilStatus(c, 'backoff')
    await untilStatus(c, 'connected', 20_000)
    // Connected to b now: a write there lands there.
    const task = await c.tasks.create({ data: { title: 'on b' } })
    await until(c, (t) => t.tasks.get(task.id))
    const res = await fetch(`${b.url}/v1/models/tasks/${task.id}`, { headers: { authorization: `Bearer ${a.secretKey}` } })
    expect(res.status).toBe(200)
  })

  it('refuses an empty list', () => {
    expect(() => Tandem({ schema, baseURL: [], apiKey: 'sk_test_x' })).toThrow(TandemValidationError)
  })
})
