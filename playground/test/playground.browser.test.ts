/**
 * The playground in Debian's Chromium against a real server: an edit in one pane reaches the other panes and a
 * second browser context; an agent's claim shows everywhere and refuses a person's edit; offline edits land once;
 * and a newcomer's path (`tandem dev` → printed URL → board). Screenshots go to playground/test-artifacts/.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createServer, memoryStore, type TandemServer } from '@tandem/core/server'
import { browserAvailable, chromiumArgs, chromiumPath } from '@tandem/test-browser'
import { schema } from 'tandem/demo-schema'
import { ensurePlaygroundBuild, mountPlayground, type Playground } from '@tandem/playground/server'

const root = resolve(import.meta.dirname, '../..')
const artifacts = join(root, 'playground/test-artifacts')
const key = 'sk_test_playground_browser'
const wait = { timeout: 20_000 }
const panes = ['react', 'vue', 'svelte'] as const

// Agents think until the test lets them go: no timing in the assertions.
const gates = new Map<string, () => void>()
let freeThinking = false
const think = (agent: string, card: string) => (freeThinking ? Promise.resolve() : new Promise<void>((resolve) => gates.set(`${agent}/${card}`, resolve)))

let server: TandemServer
let playground: Playground
let browser: Browser

const card = (page: Page, pane: string, id: string) => page.locator(`[data-pane="${pane}"] [data-card="${id}"]`)
const titleIs = (page: Page, pane: string, id: string, title: string) =>
  page.waitForFunction(
    ([sel, t]) => (document.querySelector(sel!) as HTMLInputElement | null)?.value === t,
    [`[data-pane="${pane}"] [data-card="${id}"] .title`, title],
    wait,
  )
const textHas = (page: Page, selector: string, text: string) =>
  page.waitForFunction(([sel, t]) => document.querySelector(sel!)?.textContent?.includes(t!) ?? false, [selector, text], wait)
const allConnected = (page: Page) => page.waitForFunction(() => document.querySelectorAll('.connection[data-status="connected"]').length === 3, undefined, wait)

async function openBoard(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${server.url}/`)
  await allConnected(page)
  await page.waitForFunction(() => document.querySelectorAll('[data-card]').length === 18, undefined, wait)
  expect(errors).toEqual([])
  return page
}

async function typeTitle(page: Page, pane: string, id: string, title: string) {
  const input = card(page, pane, id).locator('.title')
  await input.fill(title)
  await input.press('Enter')
}

describe.skipIf(!browserAvailable())('the playground in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    await ensurePlaygroundBuild()
    server = await createServer({ schema, store: memoryStore(), port: 0, secretKeys: [key] })
    playground = await mountPlayground(server, { schema, secretKey: key, think })
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  }, 120_000)
  afterAll(async () => {
    freeThinking = true
    for (const go of gates.values()) go()
    await playground?.close()
    await browser?.close()
    await server?.close()
  })

  it('an edit typed in the React pane appears in the Vue and Svelte panes and in a second context, without reload', async () => {
    const a = await openBoard(await browser.newContext({ viewport: { width: 1400, height: 560 } }))
    const b = await openBoard(await browser.newContext())
    await a.screenshot({ path: join(artifacts, '1-before.png') })
    await typeTitle(a, 'react', 'card-2', 'Fix the flaky login test')
    for (const pane of panes) {
      await titleIs(a, pane, 'card-2', 'Fix the flaky login test')
      await titleIs(b, pane, 'card-2', 'Fix the flaky login test')
    }
    // The activity feed names the person (each pane is its own person).
    await textHas(b, '[data-pane="svelte"] .feed', 'Ada')
    await a.context().close()
    await b.context().close()
  })

  it("a card a pane focuses shows that person's presence in the other panes (and in a second context), until it loses the focus", async () => {
    const a = await openBoard(await browser.newContext({ viewport: { width: 1400, height: 560 } }))
    const b = await openBoard(await browser.newContext())
    const here = (pane: string, id: string) => `[data-pane="${pane}"] [data-card="${id}"] .presence`
    await card(a, 'vue', 'card-5').locator('.title').focus()
    for (const page of [a, b]) {
      await textHas(page, here('react', 'card-5'), 'Grace (human) editing')
      await textHas(page, here('svelte', 'card-5'), 'Grace (human) editing')
    }
    // Grace's own pane does not list her; moving the focus to the Svelte pane moves the badge to Linus.
    expect(await a.locator(`${here('vue', 'card-5')} .here`).count()).toBe(0)
    await card(a, 'svelte', 'card-6').locator('.title').focus()
    await textHas(b, here('react', 'card-6'), 'Linus (human) editing')
    await textHas(b, here('vue', 'card-6'), 'Linus (human) editing')
    await b.waitForFunction((sel) => !document.querySelector(sel), here('react', 'card-5'), wait)
    await card(a, 'react', 'card-6').locator('.title').focus()
    await textHas(b, here('vue', 'card-6'), 'Ada (human) editing')
    await a.screenshot({ path: join(artifacts, '1b-presence.png') })
    await a.context().close()
    // Closing the first context disconnects its three clients: their badges go away in the second.
    await b.waitForFunction(() => document.querySelectorAll('.here').length === 0, undefined, wait)
    await b.context().close()
  })

  it('an agent holds a card: every pane shows it and the line, a person is refused, the stale guard trips, then the edit lands', async () => {
    const page = await openBoard(await browser.newContext({ viewport: { width: 1400, height: 560 } }))
    await page.click('#run-agent')
    for (const pane of panes) await textHas(page, `[data-pane="${pane}"] [data-card="card-1"] .holder`, 'Agent 1 (agent) is triaging')
    // The agent's presence intent (set when its claim is granted) shows beside the claim.
    for (const pane of panes) await textHas(page, `[data-pane="${pane}"] [data-card="card-1"] .presence`, 'Agent 1 (agent) triaging')
    // A second agent waits in the FIFO line behind the first.
    await page.click('#run-agent')
    for (const pane of panes) await textHas(page, `[data-pane="${pane}"] [data-card="card-1"] .queue`, 'waiting: Agent 2')
    await page.screenshot({ path: join(artifacts, '2-agent-working.png') })

    // Ada's edit of the held card is refused, with the typed error on the card.
    await typeTitle(page, 'react', 'card-1', 'Write the launch post today')
    await textHas(page, '[data-pane="react"] [data-card="card-1"] .error', 'TandemClaimedError: entity_claimed')
    // Linus moves it in the Svelte pane: refused too.
    await card(page, 'svelte', 'card-1').locator('.status').selectOption('done')
    await textHas(page, '[data-pane="svelte"] [data-card="card-1"] .error', 'entity_claimed')

    // Agent 1 finishes card 1; Agent 2 is granted it next (FIFO), then everyone is let go.
    gates.get('Agent 1/card-1')!()
    for (const pane of panes) await textHas(page, `[data-pane="${pane}"] [data-card="card-1"] .holder`, 'Agent 2')
    freeThinking = true
    for (const go of gates.values()) go()
    await page.waitForFunction(() => document.querySelectorAll('.holder').length === 0, undefined, wait)
    await expect.poll(() => playground.agents, wait).toEqual([])

    // After the release, Ada's edit lands everywhere.
    await card(page, 'react', 'card-1').locator('.title').press('Escape')
    await typeTitle(page, 'react', 'card-1', 'Launch post: final edit')
    for (const pane of panes) await titleIs(page, pane, 'card-1', 'Launch post: final edit')
    expect(await card(page, 'react', 'card-1').locator('.error').count()).toBe(0)

    // The stale guard: Ada starts editing card 3, Grace (Vue pane) renames it meanwhile, Ada's save is refused.
    const adaTitle = card(page, 'react', 'card-3').locator('.title')
    await adaTitle.fill('Review the pricing page')
    await typeTitle(page, 'vue', 'card-3', 'Pricing page: review copy')
    await titleIs(page, 'svelte', 'card-3', 'Pricing page: review copy')
    await adaTitle.press('Enter')
    await textHas(page, '[data-pane="react"] [data-card="card-3"] .error', 'TandemStaleContextError: stale_context')
    await page.screenshot({ path: join(artifacts, '3-after.png') })
    await page.context().close()
  })

  it('a context goes offline, edits, comes back: the edits land once and appear everywhere', async () => {
    const a = await openBoard(await browser.newContext())
    const offline = await browser.newContext()
    const b = await openBoard(offline)
    await offline.setOffline(true)
    // Chromium's offline emulation blocks new connections but leaves open WebSockets alone: restart the server
    // (same port, same store) so the offline context loses its sockets while the other reconnects.
    const { port, store } = server
    await playground.close()
    await server.close()
    server = await createServer({ schema, store, port, secretKeys: [key] })
    playground = await mountPlayground(server, { schema, secretKey: key, think, seed: false })
    await allConnected(a)
    await b.waitForFunction(() => document.querySelector('[data-pane="vue"] .connection')?.getAttribute('data-status') !== 'connected', undefined, wait)
    await typeTitle(b, 'vue', 'card-4', 'Translate the onboarding emails (offline)')
    await titleIs(b, 'svelte', 'card-4', 'Translate onboarding emails') // another person's pane: not sent yet
    await offline.setOffline(false)
    for (const pane of panes) {
      await titleIs(a, pane, 'card-4', 'Translate the onboarding emails (offline)')
      await titleIs(b, pane, 'card-4', 'Translate the onboarding emails (offline)')
    }
    const audit = await fetch(`${server.url}/v1/audit?model=tasks&id=card-4`, { headers: { authorization: `Bearer ${key}` } })
    const updates = ((await audit.json()) as { data: Array<{ op: string; data?: { title?: string } }> }).data.filter(
      (e) => e.op === 'update' && e.data?.title === 'Translate the onboarding emails (offline)',
    )
    expect(updates).toHaveLength(1)
    await a.context().close()
    await offline.close()
  })

  it("a newcomer's path: `tandem dev` prints a URL, the URL shows the board", async () => {
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
    expect(start).toBe('node --conditions=@tandem/source cli/src/bin.ts dev')
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-newcomer-'))
    // npm start's command, from a fresh folder (its .tandem/ goes there), on a free port.
    const child = spawn(process.execPath, ['--conditions=@tandem/source', join(root, 'cli/src/bin.ts'), 'dev', '--port', '0'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += String(d)
          const m = out.match(/Playground: open (http:\/\/\S+?)\/? in a browser/)
          if (m) resolve(m[1]!)
        })
        child.stderr.on('data', (d: Buffer) => (out += String(d)))
        child.once('exit', (code) => reject(new Error(`tandem dev exited (${code}):\n${out}`)))
      })
      const page = await browser.newPage()
      await page.goto(url)
      await page.waitForFunction(() => document.querySelectorAll('[data-pane] [data-card]').length === 18, undefined, wait)
      await allConnected(page)
      await page.close()
    } finally {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
      rmSync(cwd, { recursive: true, force: true })
    }
  })
})
