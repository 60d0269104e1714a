/**
 * In real headless Chromium. IndexedDB: writes made while the server is down are kept
 * in IndexedDB; the page reloads (memory gone), shows them again at once, and
 * replays them when the server is back — each lands exactly once.
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServer, memoryStore } from '@tandem/core/server'
import { schema } from '../fixtures.ts'
import { defer } from '../helpers.ts'
import { browserAvailable, startBrowserHarness } from '@tandem/test-browser'

const clientEntry = resolve(import.meta.dirname, '../../src/index.ts')

describe.skipIf(!browserAvailable())('browser', () => {
  it("persistence: 'indexeddb' keeps queued writes across a reload; they land once when the server is back", async () => {
    const store = memoryStore()
    const key = 'sk_test_browser'
    let server = await createServer({ schema, store, port: 0, secretKeys: [key] })
    const port = server.port
    defer(() => server.close())
    const harness = await startBrowserHarness({ entry: clientEntry })
    defer(() => harness.close())
    const page = await harness.browser.newPage()
    await page.goto(harness.pageUrl)
    await page.waitForFunction(() => document.title === 'ready')

    // The schema is rebuilt in the page with the same shape as the fixture.
    const boot = `
      const { default: Tandem, defineSchema, model, z } = window.tandem
      const schema = defineSchema({
        tasks: model({ title: z.string().min(1), status: z.enum(['todo', 'doing', 'done']).default('todo'), assignee: z.string().nullable().optional(), points: z.number().int().optional() }),
        weatherReports: model({ location: z.string(), status: z.enum(['pending', 'ready']), forecast: z.string().optional() }),
      })
      window.client = Tandem({ schema, baseURL: '${server.url}', apiKey: '${key}', persistence: 'indexeddb', heartbeatMs: 500 })
    `
    await page.evaluate(boot)
    await page.evaluate(() => (window as any).client.ready())
    await page.evaluate(() => (window as any).client.tasks.create({ id: 'online', data: { title: 'written online' } }))

    await server.close()
    await page.waitForFunction(() => (window as any).client.status.get() !== 'connected')
    // Offline: queued (durably) and shown at once.
    await page.evaluate(async () => {
      const c = (window as any).client
      await c.tasks.create({ id: 'offline-1', data: { title: 'first' }, wait: 'queued' })
      await c.tasks.update({ id: 'online', data: { status: 'done' }, wait: 'queued' })
      await c.tasks.create({ id: 'offline-2', data: { title: 'second' }, wait: 'queued' })
    })
    expect(await page.evaluate(() => (window as any).client.pendingCount())).toBe(3)

    // Reload: everything in memory is gone.
    await page.reload()
    await page.waitForFunction(() => document.title === 'ready')
    await page.evaluate(boot)
    await page.waitForFunction(() => (window as any).client.pendingCount() === 3)
    expect(await page.evaluate(() => (window as any).client.tasks.get('offline-2')?.title)).toBe('second')

    server = await createServer({ schema, store, port, secretKeys: [key] })
    await page.waitForFunction(() => (window as any).client.pendingCount() === 0, undefined, { timeout: 20_000 })
    const rows = await (await fetch(`${server.url}/v1/models/tasks`, { headers: { authorization: `Bearer ${key}` } })).json()
    expect(rows.data.map((r: { id: string }) => r.id).sort()).toEqual(['offline-1', 'offline-2', 'online'])
    expect(rows.data.find((r: { id: string }) => r.id === 'online').status).toBe('done')
    const log = await (await fetch(`${server.url}/v1/changes?after=0`, { headers: { authorization: `Bearer ${key}` } })).json()
    expect(log.data).toHaveLength(4)
    await page.close()
  }, 60_000)

  it('restores a queue written by the previous IndexedDB version (two shapes per write) and replays it once', async () => {
    const key = 'sk_test_browser_v1'
    const server = await createServer({ schema, store: memoryStore(), port: 0, secretKeys: [key] })
    defer(() => server.close())
    const harness = await startBrowserHarness({ entry: clientEntry })
    defer(() => harness.close())
    const page = await harness.browser.newPage()
    await page.goto(harness.pageUrl)
    await page.waitForFunction(() => document.title === 'ready')
    // What version 1 of the outbox wrote: the wire operations beside local ops carrying the ids and timestamps.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('tandem:v1-queue', 1)
        r.onupgradeneeded = () => r.result.createObjectStore('outbox', { keyPath: 'txId' })
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
      const tx = db.transaction('outbox', 'readwrite')
      tx.objectStore('outbox').put({
        txId: 'tx-v1',
        idempotencyKey: 'idem-v1',
        seq: 1,
        operations: [{ op: 'create', model: 'tasks', id: 'legacy', data: { title: 'queued by v1' } }],
        ops: [{ op: 'create', model: 'tasks', id: 'legacy', data: { title: 'queued by v1' }, at: '2026-01-01T00:00:00.000Z' }],
      })
      await new Promise((resolve) => (tx.oncomplete = resolve))
      db.close()
    })
    await page.evaluate(`
      const { default: Tandem, defineSchema, model, z } = window.tandem
      const schema = defineSchema({ tasks: model({ title: z.string().min(1), status: z.enum(['todo', 'doing', 'done']).default('todo') }) })
      window.client = Tandem({ schema, baseURL: '${server.url}', apiKey: '${key}', persistence: 'indexeddb', persistenceKey: 'v1-queue', autoConnect: false })
    `)
    // Restored before connecting: shown at once, with the timestamp it was written at.
    await page.waitForFunction(() => (window as any).client.pendingCount() === 1)
    expect(await page.evaluate(() => (window as any).client.tasks.get('legacy')?.createdAt)).toBe('2026-01-01T00:00:00.000Z')
    await page.evaluate(() => (window as any).client.start())
    await page.waitForFunction(() => (window as any).client.pendingCount() === 0, undefined, { timeout: 20_000 })
    const log = await (await fetch(`${server.url}/v1/changes?after=0`, { headers: { authorization: `Bearer ${key}` } })).json()
    expect(log.data.map((e: { changes: Array<{ id: string; data: { title: string } }> }) => e.changes.map((c) => [c.id, c.data.title]))).toEqual([
      [['legacy', 'queued by v1']],
    ])
    await page.evaluate(() => (window as any).client.dispose())
    await page.close()
  }, 60_000)

  it("goes 'offline' when the browser loses the network and reconnects as soon as it is back", async () => {
    const key = 'sk_test_browser_net'
    const server = await createServer({ schema, store: memoryStore(), port: 0, secretKeys: [key] })
    defer(() => server.close())
    const harness = await startBrowserHarness({ entry: clientEntry })
    defer(() => harness.close())
    const context = await harness.browser.newContext()
    const page = await context.newPage()
    await page.goto(harness.pageUrl)
    await page.waitForFunction(() => document.title === 'ready')
    await page.evaluate(`
      const { default: Tandem, defineSchema, model, z } = window.tandem
      const schema = defineSchema({ tasks: model({ title: z.string() }) })
      window.statuses = []
      window.client = Tandem({ schema, baseURL: '${server.url}', apiKey: '${key}', heartbeatMs: 300 })
      window.client.status.subscribe((s) => window.statuses.push(s))
    `)
    await page.evaluate(() => (window as any).client.ready())
    await context.setOffline(true)
    await page.waitForFunction(() => (window as any).client.status.get() === 'offline', undefined, { timeout: 15_000 })
    await context.setOffline(false)
    await page.waitForFunction(() => (window as any).client.status.get() === 'connected', undefined, { timeout: 15_000 })
    await page.evaluate(() => (window as any).client.dispose())
    await context.close()
  }, 60_000)
})
