/**
 * Browser test harness: bundles the client for the browser (rolldown, from
 * source), serves a page, and drives Debian's Chromium with playwright-core.
 * Chromium missing → the tests skip, except under CI=true where they fail.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'rolldown'

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  if (process.env['CI'] === 'true') throw new Error(`Chromium not found at ${chromiumPath}; CI=true requires it (npm test installs it with apt-get)`)
  console.warn(`Chromium not found at ${chromiumPath}: skipping browser tests`)
  return false
}

export interface BrowserHarness {
  /** URL of a page that has loaded `window.tandem` (the client module). */
  pageUrl: string
  browser: Browser
  close(): Promise<void>
}

const root = resolve(import.meta.dirname, '../../..')

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-browser-'))
  await build({
    input: join(root, 'core/src/index.ts'),
    platform: 'browser',
    resolve: { conditionNames: ['@tandem/source', 'browser', 'import', 'default'] },
    output: { dir, format: 'esm', entryFileNames: 'tandem.js' },
    logLevel: 'silent',
  })
  const html = `<!doctype html><meta charset="utf-8"><title>tandem</title><script type="module">import * as tandem from './tandem.js'; window.tandem = tandem; document.title = 'ready'</script>`
  const files: Server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) return res.writeHead(200, { 'content-type': 'text/html' }).end(html)
    const file = join(dir, (req.url ?? '').split('?')[0]!.replace(/^\/+/, ''))
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file))
  })
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r))
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    // playwright gives every launch a fresh, throwaway profile (its own --user-data-dir).
  })
  return {
    pageUrl: `http://127.0.0.1:${(files.address() as { port: number }).port}/`,
    browser,
    async close() {
      await browser.close()
      await new Promise<void>((r) => files.close(() => r()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
