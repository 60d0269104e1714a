/**
 * In real headless Chromium: Vue components (SFCs with `<script setup>`, compiled by unplugin-vue) on
 * `@tandem/vue`, against a real server, with a second client in Node playing the other user.
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import vue from 'unplugin-vue/rolldown'
import Tandem from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { browserAvailable, startBrowserHarness, expectClaimShown, expectReconnect } from '@tandem/test-browser'
import { schema } from '../schema.ts'

const entry = resolve(import.meta.dirname, 'entry.ts')
// Vue's esm-bundler build asks for its feature flags to be set at build time.
const vueDefines = {
  'process.env.NODE_ENV': '"development"',
  __VUE_OPTIONS_API__: 'false',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
}
const wait = { timeout: 20_000 }
const text = (selector: string) => `document.querySelector(${JSON.stringify(selector)})?.textContent`

describe.skipIf(!browserAvailable())('@tandem/vue components in Chromium', () => {
  it('live rows, render counts, claims, typed errors and status across a server restart', async () => {
    const store = memoryStore()
    const key = 'sk_test_vue'
    let server = await createServer({ schema, store, port: 0, secretKeys: [key] })
    const port = server.port
    const other = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'agent', name: 'Drafter' } })
    const harness = await startBrowserHarness({ entry, globalName: 'app', plugins: [vue()], define: vueDefines })
    try {
      await other.ready()
      await other.tasks.create({ id: 'a', data: { title: 'Row A' } })
      await other.tasks.create({ id: 'b', data: { title: 'Row B' } })
      const page = await harness.browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // Vue's warnings, and any uncaught error (the browser's own network messages during the restart are expected).
      page.on('console', (m) => void (m.text().includes('Vue') ? errors.push(m.text()) : undefined))
      await page.goto(harness.pageUrl)
      await page.waitForFunction(() => document.title === 'ready')
      await page.evaluate(`window.app.mount(${JSON.stringify(server.url)}, ${JSON.stringify(key)})`)
      await page.waitForFunction(`${text('#title-a')} === 'Row A' && ${text('#title-b')} === 'Row B'`, undefined, wait)
      const renders = () => page.evaluate(() => Object.fromEntries((window as any).app.renders) as Record<string, number>)
      // Mounted before the bootstrap arrived: one render empty, one with the rows.
      const before = await renders()
      expect(before).toEqual({ a: 2, b: 2 })

      // Another client writes row B: B's component updates live, A's does not re-render.
      await other.tasks.update({ id: 'b', data: { title: 'Row B, edited' } })
      await page.waitForFunction(`${text('#title-b')} === 'Row B, edited'`, undefined, wait)
      // A field the selector does not return: no re-render of B either.
      await other.tasks.update({ id: 'b', data: { status: 'doing' } })
      await other.tasks.update({ id: 'a', data: { title: 'Row A, edited' } })
      await page.waitForFunction(`${text('#title-a')} === 'Row A, edited'`, undefined, wait)
      expect(await renders()).toEqual({ a: before.a! + 1, b: before.b! + 1 })

      // A prop read by the selector and the claim args: the component follows it to row B and back.
      const held = await other.tasks.claim({ id: 'a', action: 'drafting' })
      await page.waitForFunction(`${text('#picked')} === 'Row A, edited / drafting'`, undefined, wait)
      await page.evaluate(() => (window as any).app.pick('b'))
      await page.waitForFunction(`${text('#picked')} === 'Row B, edited / free'`, undefined, wait)
      await other.tasks.update({ id: 'b', data: { title: 'Row B, again' } })
      await page.waitForFunction(`${text('#picked')} === 'Row B, again / free'`, undefined, wait)
      await page.evaluate(() => (window as any).app.pick('a'))
      await page.waitForFunction(`${text('#picked')} === 'Row A, edited / drafting'`, undefined, wait)

      // A claim held by the other client shows its holder and action; a write to the row shows the typed error.
      await expectClaimShown(page, held)

      // Presence: another client's intent shows on its row (name, kind, action); a change on row B leaves row A's
      // component alone; the page's own intent (useIntent) reaches the other client; a disconnect clears an entry.
      await page.waitForFunction(`${text('#here-a')} === 'nobody' && ${text('#here-b')} === 'nobody'`, undefined, wait)
      const visitor = Tandem({ schema, baseURL: server.url, apiKey: key, participant: { kind: 'human', name: 'Grace' } })
      await visitor.ready()
      visitor.presence.setIntent({ model: 'tasks', id: 'a', action: 'reading' })
      other.presence.setIntent({ model: 'tasks', id: 'b', action: 'reviewing' })
      await page.waitForFunction(`${text('#here-a')} === 'Grace (human) reading' && ${text('#here-b')} === 'Drafter (agent) reviewing'`, undefined, wait)
      const presenceRenders = () => page.evaluate(() => Object.fromEntries((window as any).app.presenceRenders) as Record<string, number>)
      const seen = await presenceRenders()
      // Someone is on row A while row B changes: A's component keeps its entries and does not re-render.
      other.presence.setIntent({ model: 'tasks', id: 'b', action: 'checking' })
      await page.waitForFunction(`${text('#here-b')} === 'Drafter (agent) checking'`, undefined, wait)
      expect(await presenceRenders()).toEqual({ a: seen.a, b: seen.b! + 1 })
      await visitor.dispose()
      await page.waitForFunction(`${text('#here-a')} === 'nobody'`, undefined, wait)
      other.presence.clearIntent()
      await page.waitForFunction(`${text('#here-b')} === 'nobody'`, undefined, wait)
      const ada = (t: typeof other) => t.presence.list.get().find((p) => p.participant.name === 'Ada')
      await page.evaluate(() => (window as any).app.focus('a'))
      await until(other, (t) => ada(t)?.intent?.action === 'editing' && ada(t)?.intent?.id === 'a')
      await page.evaluate(() => (window as any).app.focus(null))
      await until(other, (t) => ada(t) !== undefined && ada(t)!.intent === null)
      // The server goes away and comes back on the same port with the same store.
      await expectReconnect(
        page,
        () => server.close(),
        async () => void (server = await createServer({ schema, store, port, secretKeys: [key] })),
      )
      expect(errors).toEqual([])

      // Unmounting the app disposes the client the plugin made.
      await page.evaluate(() => void ((window as any).client = (window as any).app.unmount()))
      await page.waitForFunction(() => (window as any).client.status.get() === 'offline', undefined, wait)
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
