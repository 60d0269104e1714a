/**
 * In real headless Chromium: Svelte 5 components (runes mode, compiled by `svelte/compiler`) reading
 * `@tandem/svelte`'s stores with `$store` (and the runes helper), against a real server, with a second
 * client in Node playing the other user.
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { browserAvailable, startBrowserHarness, expectClaimShown, expectReconnect } from '@tandem/test-browser'
import { schema } from '../schema.ts'
import { svelte } from './svelte-plugin.ts'

const entry = resolve(import.meta.dirname, 'entry.ts')
const wait = { timeout: 20_000 }
const text = (selector: string) => `document.querySelector(${JSON.stringify(selector)})?.textContent`

describe.skipIf(!browserAvailable())('@tandem/svelte components in Chromium', () => {
  it('live rows, no update for other rows, claims, typed errors and status across a server restart', async () => {
    const store = memoryStore()
    const key = 'sk_test_svelte'
    let server = await createServer({ schema, store, port: 0, secretKeys: [key] })
    const port = server.port
    const other = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'agent', name: 'Drafter' } })
    const harness = await startBrowserHarness({ entry, globalName: 'app', plugins: [svelte()] })
    try {
      await other.ready()
      await other.tasks.create({ id: 'a', data: { title: 'Row A' } })
      await other.tasks.create({ id: 'b', data: { title: 'Row B' } })
      const page = await harness.browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // Svelte's warnings, and any uncaught error (the browser's own network messages during the restart are expected).
      page.on('console', (m) => void (/svelte/i.test(m.text()) ? errors.push(m.text()) : undefined))
      await page.goto(harness.pageUrl)
      await page.waitForFunction(() => document.title === 'ready')
      await page.evaluate(`window.app.mount(${JSON.stringify(server.url)}, ${JSON.stringify(key)})`)
      await page.waitForFunction(`${text('#title-a')} === 'Row A' && ${text('#title-b')} === 'Row B' && ${text('#runes-a')} === 'Row A'`, undefined, wait)
      const renders = () => page.evaluate(() => Object.fromEntries((window as any).app.renders) as Record<string, number>)
      const before = await renders()

      // Another client writes row B: B's component updates live, A's store does not change.
      await other.tasks.update({ id: 'b', data: { title: 'Row B, edited' } })
      await page.waitForFunction(`${text('#title-b')} === 'Row B, edited'`, undefined, wait)
      // A field the selector does not return: no update for B either.
      await other.tasks.update({ id: 'b', data: { status: 'doing' } })
      await other.tasks.update({ id: 'a', data: { title: 'Row A, edited' } })
      await page.waitForFunction(`${text('#title-a')} === 'Row A, edited' && ${text('#runes-a')} === 'Row A, edited'`, undefined, wait)
      expect(await renders()).toEqual({ a: before.a! + 1, b: before.b! + 1 })

      // A prop read by the selectors and the claim args: the component follows it to row B and back.
      const held = await other.tasks.claim({ id: 'a', action: 'drafting' })
      await page.waitForFunction(`${text('#picked')} === 'Row A, edited / Row A, edited / drafting / drafting'`, undefined, wait)
      await page.evaluate(() => (window as any).app.pick('b'))
      await page.waitForFunction(`${text('#picked')} === 'Row B, edited / Row B, edited / free / free'`, undefined, wait)
      await other.tasks.update({ id: 'b', data: { title: 'Row B, again' } })
      await page.waitForFunction(`${text('#picked')} === 'Row B, again / Row B, again / free / free'`, undefined, wait)
      await page.evaluate(() => (window as any).app.pick('a'))
      await page.waitForFunction(`${text('#picked')} === 'Row A, edited / Row A, edited / drafting / drafting'`, undefined, wait)

      // A claim held by the other client shows its holder and action; a write to the row shows the typed error.
      await expectClaimShown(page, held)

      // Presence: another client's intent shows on its row (name, kind, action) in the store and the runes helper; a
      // change on row B leaves row A's store alone; the page's own intent (useIntent) reaches the other client; a
      // disconnect clears an entry.
      const hereIs = (id: string, shown: string) =>
        `${text(`#here-${id}`)} === ${JSON.stringify(shown)} && ${text(`#runes-here-${id}`)} === ${JSON.stringify(shown)}`
      await page.waitForFunction(`${hereIs('a', 'nobody')} && ${hereIs('b', 'nobody')}`, undefined, wait)
      const visitor = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'human', name: 'Grace' } })
      await visitor.ready()
      visitor.presence.setIntent({ model: 'tasks', id: 'a', action: 'reading' })
      other.presence.setIntent({ model: 'tasks', id: 'b', action: 'reviewing' })
      await page.waitForFunction(`${hereIs('a', 'Grace (human) reading')} && ${hereIs('b', 'Drafter (agent) reviewing')}`, undefined, wait)
      const presenceRenders = () => page.evaluate(() => Object.fromEntries((window as any).app.presenceRenders) as Record<string, number>)
      const seen = await presenceRenders()
      // Someone is on row A while row B changes: A's store keeps its value, so no update there.
      other.presence.setIntent({ model: 'tasks', id: 'b', action: 'checking' })
      await page.waitForFunction(hereIs('b', 'Drafter (agent) checking'), undefined, wait)
      expect(await presenceRenders()).toEqual({ a: seen.a, b: seen.b! + 1 })
      await visitor.dispose()
      await page.waitForFunction(hereIs('a', 'nobody'), undefined, wait)
      other.presence.clearIntent()
      await page.waitForFunction(hereIs('b', 'nobody'), undefined, wait)
      const ada = (t: typeof other) => t.presence.list.get().find((p) => p.participant.name === 'Ada')
      await page.evaluate(() => (window as any).app.focusRow('a'))
      await until(other, (t) => ada(t)?.intent?.action === 'editing' && ada(t)?.intent?.id === 'a')
      await page.evaluate(() => (window as any).app.focusRow(null))
      await until(other, (t) => ada(t) !== undefined && ada(t)!.intent === null)
      // The stores' intent(): set while its component is mounted, cleared when it is destroyed.
      await page.evaluate(() => (window as any).app.view('b'))
      await until(other, (t) => ada(t)?.intent?.action === 'viewing' && ada(t)?.intent?.id === 'b')
      await page.evaluate(() => (window as any).app.view(null))
      await until(other, (t) => ada(t) !== undefined && ada(t)!.intent === null)
      // The server goes away and comes back on the same port with the same store.
      await expectReconnect(
        page,
        () => server.close(),
        async () => void (server = await createServer({ schema, store, port, secretKeys: [key] })),
      )
      expect(errors).toEqual([])

      // Destroying App disposes the client its setTandem made.
      await page.evaluate(() => (window as any).app.unmount())
      await page.waitForFunction(() => (window as any).app.made.client.status.get() === 'offline', undefined, wait)
      await until(other, (t) => ada(t) === undefined)
      expect(await page.evaluate(() => document.querySelector('#app')!.innerHTML)).toBe('')
      await page.close()
    } finally {
      await other.dispose()
      await harness.close()
      await server.close()
    }
  }, 90_000)
})
