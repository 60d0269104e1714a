/**
 * @module Browser test harness: bundles an entry for the browser (rolldown, from source, with the `@tandem/source`
 * condition), serves it on a page, and drives Debian's Chromium with playwright-core. Chromium missing → the tests
 * skip, except under CI=true where they fail. Used by core's browser tests, the bindings' component tests and the
 * playground's tests.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { build, type RolldownPluginOption } from 'rolldown'

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** The flags every launch uses: headless, no sandbox (root in CI), nothing phoning home. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]

export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  if (process.env['CI'] === 'true') throw new Error(`Chromium not found at ${chromiumPath}; CI=true requires it (npm test installs it with apt-get)`)
  console.warn(`Chromium not found at ${chromiumPath}: skipping browser tests`)
  return false
}

export interface BrowserHarnessOptions {
  /** The module the page loads; its exports become `window[globalName]`. */
  entry: string
  /** Default `tandem`. */
  globalName?: string
  /** Rolldown plugins (e.g. a Vue or Svelte compiler). */
  plugins?: RolldownPluginOption
  /** Compile-time constants, e.g. `{ 'process.env.NODE_ENV': '"development"' }` (the default). */
  define?: Record<string, string>
}

export interface BrowserHarness {
  /** URL of a page that has loaded the entry as `window[globalName]`; its title turns `ready` once loaded. */
  pageUrl: string
  browser: Browser
  close(): Promise<void>
}

const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }

export async function startBrowserHarness(options: BrowserHarnessOptions): Promise<BrowserHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-browser-'))
  const globalName = options.globalName ?? 'tandem'
  await build({
    input: options.entry,
    platform: 'browser',
    resolve: { conditionNames: ['@tandem/source', 'browser', 'import', 'default'] },
    transform: { define: options.define ?? { 'process.env.NODE_ENV': '"development"' } },
    ...(options.plugins ? { plugins: options.plugins } : {}),
    output: { dir, format: 'esm', entryFileNames: 'entry.js' },
    logLevel: 'silent',
  })
  const css = existsSync(join(dir, 'entry.css')) ? '<link rel="stylesheet" href="./entry.css">' : ''
  const html = `<!doctype html><meta charset="utf-8"><title>loading</title>${css}<div id="app"></div><script type="module">import * as m from './entry.js'; window[${JSON.stringify(globalName)}] = m; document.title = 'ready'</script>`
  const files: Server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) return res.writeHead(200, { 'content-type': 'text/html' }).end(html)
    const file = join(dir, (req.url ?? '').split('?')[0]!.replace(/^\/+/, ''))
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r))
  // playwright gives every launch a fresh, throwaway profile (its own --user-data-dir).
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
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
export { expectClaimShown, expectReconnect, textOf } from './binding-checks.ts'
