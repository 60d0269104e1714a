/**
 * React components in real Chromium (the page is test/browser/app.tsx, bundled by rolldown with its built-in JSX
 * transform, React in development mode): live rows, render counts, claims, typed errors, status across a server
 * restart, StrictMode (one subscription per hook, no warnings), unmount unsubscribes, and Suspense on `ready()`.
 */
import { resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import Tandem from '@tandem/core'
import { until as untilClient } from '@tandem/core/testing'
import { createServer, memoryStore } from '@tandem/core/server'
import { browserAvailable, startBrowserHarness, type BrowserHarness } from '@tandem/test-browser'
import { schema } from './fixtures.ts'

const entry = resolve(import.meta.dirname, 'browser/app.tsx')
const key = 'sk_test_react'
const wait = { timeout: 20_000 }

describe.skipIf(!browserAvailable())('@tandem/react in Chromium', () => {
  let harness: BrowserHarness
  const cleanups: Array<() => unknown> = []
  beforeAll(async () => {
    harness = await startBrowserHarness({ entry, globalName: 'app', define: { 'process.env.NODE_ENV': '"development"' } })
  }, 60_000)
  afterAll(() => harness?.close())
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn()
  })

  async function setup(store = memoryStore(), port = 0) {
    const server = await createServer({ schema, store, port, secretKeys: [key] })
    const other = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'agent', name: 'Drafter' } })
    cleanups.push(
      () => server.close(),
      () => other.dispose(),
    )
    await other.ready()
    await other.tasks.create({ id: 'a', data: { title: 'A1' } })
    await other.tasks.create({ id: 'b', data: { title: 'B1' } })
    const page = await harness.browser.newPage()
    cleanups.push(() => page.close())
    const problems: string[] = []
    // React's warnings (tearing, uncached snapshots, act, keys…) are console errors; the network's own noise is not ours.
    const noise = /^Failed to load resource|^WebSocket connection to/
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && !noise.test(m.text()) && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(harness.pageUrl)
    await page.waitForFunction(() => document.title === 'ready')
    return { server, other, page, problems }
  }
  const text = (page: Page, selector: string) => page.evaluate((s) => (window as any).app.text(s), selector)
  const until = (page: Page, selector: string, expected: string) =>
    page.waitForFunction(([s, e]) => (window as any).app.text(s) === e, [selector, expected] as const, wait)
  const mountWithClient = (page: Page, url: string, strict = false) =>
    page.evaluate(
      ([url, key, strict]) => {
        const app = (window as any).app
        const w = window as any
        w.counter = app.counted(app.Tandem({ schema: app.schema, baseURL: url, apiKey: key, heartbeatMs: 500, participant: { kind: 'human', name: 'Ada' } }))
        w.baseline = w.counter.client.status.lc
        app.mount({ client: w.counter.client, strict })
      },
      [url, key, strict] as const,
    )

  it('a row updates live when another client writes it; a component reading row A does not re-render for row B', async () => {
    const { server, other, page, problems } = await setup()
    await mountWithClient(page, server.url)
    await until(page, '[data-row=a]', 'A1')
    await until(page, '[data-row=b]', 'B1')
    const before = await page.evaluate(() => ({ ...(window as any).app.probe.renders }))

    await other.tasks.update({ id: 'b', data: { title: 'B2' } })
    await until(page, '[data-row=b]', 'B2')
    const afterB = await page.evaluate(() => ({ ...(window as any).app.probe.renders }))
    expect(afterB).toEqual({ a: before.a, b: before.b + 1 })

    await other.tasks.update({ id: 'a', data: { title: 'A2' } })
    await until(page, '[data-row=a]', 'A2')
    // Another field of row A: the selector's result (the title) is the same, so no render either.
    await other.tasks.update({ id: 'a', data: { status: 'doing' } })
    await page.waitForFunction(() => (window as any).counter.client.tasks.get('a')?.status === 'doing', undefined, wait)
    expect(await page.evaluate(() => ({ ...(window as any).app.probe.renders }))).toEqual({ a: before.a + 1, b: before.b + 1 })
    expect(problems).toEqual([])
  }, 60_000)

  it('a claim held by another client shows its holder and action; writing the held row shows the typed error', async () => {
    const { server, other, page, problems } = await setup()
    await mountWithClient(page, server.url)
    await until(page, '[data-holder=a]', 'free')
    const claim = await other.tasks.claim({ id: 'a', action: 'drafting' })
    await until(page, '[data-holder=a]', 'Drafter: drafting (+0)')

    await page.click('[data-rename=a]')
    await until(page, '[data-error=a]', 'TandemClaimedError entity_claimed')
    expect(await text(page, '[data-row=a]')).toBe('A1') // the optimistic write was rolled back

    await claim.release()
    await until(page, '[data-holder=a]', 'free')
    await page.click('[data-rename=a]')
    await until(page, '[data-error=a]', 'saved')
    expect(problems).toEqual([])
  }, 60_000)

  it('status leaves connected when the server stops and is connected again when it restarts on the same port', async () => {
    const store = memoryStore()
    const { server, page, problems } = await setup(store)
    await mountWithClient(page, server.url)
    await until(page, '[data-status]', 'connected')
    await server.close()
    await page.waitForFunction(() => (window as any).app.text('[data-status]') !== 'connected', undefined, wait)
    const restarted = await createServer({ schema, store, port: server.port, secretKeys: [key] })
    cleanups.push(() => restarted.close())
    await until(page, '[data-status]', 'connected')
    const statuses: string[] = await page.evaluate(() => (window as any).app.probe.statuses)
    const down = statuses.indexOf('connected') + 1
    expect(statuses.slice(down, -1).every((s) => s === 'backoff' || s === 'connecting' || s === 'offline')).toBe(true)
    expect(statuses.slice(down, -1).length).toBeGreaterThan(0)
    expect(statuses.at(-1)).toBe('connected')

    // Without a network the browser reports 'offline' (core waits for the 'online' event instead of backing off).
    await page.context().setOffline(true)
    await until(page, '[data-status]', 'offline')
    await page.context().setOffline(false)
    await until(page, '[data-status]', 'connected')
    expect(problems).toEqual([])
  }, 60_000)

  it('StrictMode: one subscription per hook, no warnings; unmount unsubscribes every store', async () => {
    const { server, other, page, problems } = await setup()
    await mountWithClient(page, server.url, true)
    await until(page, '[data-row=a]', 'A1')
    await until(page, '[data-status]', 'connected')
    // Two rows, the count, one claim view and two rows' presence are listened to once each, despite StrictMode's double
    // render and double effects, and although the count's inline selector makes a new store on every render.
    expect(await page.evaluate(() => (window as any).counter.listeners())).toBe(6)
    expect(await page.evaluate(() => (window as any).counter.client.status.lc - (window as any).baseline)).toBe(1)
    await other.tasks.update({ id: 'a', data: { title: 'A2' } })
    await until(page, '[data-row=a]', 'A2')
    await other.tasks.create({ id: 'c', data: { title: 'C1' } })
    await until(page, '[data-count]', '3')
    expect(await page.evaluate(() => (window as any).counter.listeners())).toBe(6)

    await page.evaluate(() => (window as any).app.unmount())
    expect(await page.evaluate(() => (window as any).counter.listeners())).toBe(0)
    expect(await page.evaluate(() => (window as any).counter.client.status.lc - (window as any).baseline)).toBe(0)
    expect(problems).toEqual([])
  }, 60_000)

  it('StrictMode: a provider given options makes one client, connects it once, and disposes it on unmount', async () => {
    const { server, page, problems } = await setup()
    const baseline = server.connections
    // Offline at first, so the Suspense fallback shows until ready() resolves (once the network is back).
    await page.context().setOffline(true)
    await page.evaluate(([baseURL, apiKey]) => (window as any).app.mount({ strict: true, options: { baseURL, apiKey }, suspense: true, fallback: true }), [
      server.url,
      key,
    ] as const)
    await until(page, '[data-fallback]', 'connecting…')
    expect(await text(page, '[data-row=a]')).toBe(null)
    await page.context().setOffline(false)
    await until(page, '[data-row=a]', 'A1')
    expect(await text(page, '[data-fallback]')).toBe(null)
    expect(server.connections - baseline).toBe(1)

    await page.evaluate(() => (window as any).app.unmount())
    await expect.poll(() => server.connections - baseline, wait).toBe(0)
    expect(problems).toEqual([])
  }, 60_000)

  it("presence: another client's intent shows on its row (name, kind, action), not re-rendering the other row; useIntent announces and clears", async () => {
    const { server, other, page, problems } = await setup()
    await mountWithClient(page, server.url, true)
    await until(page, '[data-everyone]', 'Drafter, Ada*')
    await until(page, '[data-here=a]', 'nobody')

    const visitor = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'human', name: 'Grace' } })
    cleanups.push(() => visitor.dispose())
    await visitor.ready()
    visitor.presence.setIntent({ model: 'tasks', id: 'a', action: 'reading' })
    other.presence.setIntent({ model: 'tasks', id: 'b', action: 'reviewing' })
    await until(page, '[data-here=a]', 'Grace (human) reading')
    await until(page, '[data-here=b]', 'Drafter (agent) reviewing')
    const before = await page.evaluate(() => ({ ...(window as any).app.probe.presenceRenders }))
    // Someone is on row A while row B changes: B's component re-renders, A's does not.
    other.presence.setIntent({ model: 'tasks', id: 'b', action: 'checking' })
    await until(page, '[data-here=b]', 'Drafter (agent) checking')
    const after = await page.evaluate(() => ({ ...(window as any).app.probe.presenceRenders }))
    expect(after['a']).toBe(before['a'])
    expect(after['b']).toBeGreaterThan(before['b'])
    // A disconnect clears an entry at once.
    await visitor.dispose()
    await until(page, '[data-here=a]', 'nobody')
    await until(page, '[data-everyone]', 'Drafter, Ada*')

    other.presence.setIntent({ model: 'tasks', id: 'a', action: 'drafting' })
    await until(page, '[data-here=a]', 'Drafter (agent) drafting')
    await until(page, '[data-here=b]', 'nobody')
    other.presence.clearIntent()
    await until(page, '[data-here=a]', 'nobody')

    // useIntent (under StrictMode's double effects): the page's intent reaches the other client, and is cleared
    // when it turns null and when the component unmounts.
    const adaOn = (id: string) => (t: typeof other) =>
      t.presence.list.get().some((p) => !p.self && p.participant.name === 'Ada' && p.intent?.id === id && p.intent.action === 'editing')
    const adaIdle = (t: typeof other) => t.presence.list.get().some((p) => !p.self && p.participant.name === 'Ada' && p.intent === null)
    await page.evaluate(() => (window as any).app.focus.set('a'))
    await untilClient(other, adaOn('a'))
    await page.evaluate(() => (window as any).app.focus.set('b'))
    await untilClient(other, adaOn('b'))
    await page.evaluate(() => (window as any).app.focus.set(null))
    await untilClient(other, adaIdle)
    await page.evaluate(() => (window as any).app.focus.set('a'))
    await untilClient(other, adaOn('a'))
    await page.evaluate(() => (window as any).app.presence.show(false))
    await untilClient(other, adaIdle)

    // The other client disconnects: its entry is gone from the page.
    await page.evaluate(() => (window as any).app.presence.show(true))
    await until(page, '[data-everyone]', 'Drafter, Ada*')
    other.presence.setIntent({ model: 'tasks', id: 'a', action: 'drafting' })
    await until(page, '[data-here=a]', 'Drafter (agent) drafting')
    await other.dispose()
    await until(page, '[data-here=a]', 'nobody')
    await until(page, '[data-everyone]', 'Ada*')
    expect(problems).toEqual([])
  }, 60_000)

  it('<TandemProvider suspense> under an outer Suspense boundary still mounts, connects and shows its children', async () => {
    const { server, page, problems } = await setup()
    await page.evaluate(([baseURL, apiKey]) => (window as any).app.mount({ options: { baseURL, apiKey }, suspense: true }), [server.url, key] as const)
    await until(page, '[data-row=a]', 'A1')
    expect(await text(page, '[data-outer-fallback]')).toBe(null)
    await page.evaluate(() => (window as any).app.unmount())
    expect(problems).toEqual([])
  }, 60_000)
})
