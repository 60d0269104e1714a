/**
 * @module Checks every binding's component test makes the same way, on a page whose component shows `#holder`,
 * `#error` (after `#rename` is clicked) and `#status` (with the statuses it saw in `data-seen`).
 */
import type { Page } from 'playwright-core'

const wait = { timeout: 20_000 }
/** A page expression: the text of the element `selector` matches. */
export const textOf = (selector: string) => `document.querySelector(${JSON.stringify(selector)})?.textContent`

/** A claim held by another client shows its holder and action; a write to the row shows the typed error; release frees it. */
export async function expectClaimShown(page: Page, claim: { release(): Promise<void> }): Promise<void> {
  await page.waitForFunction(`${textOf('#holder')} === 'Drafter is drafting'`, undefined, wait)
  await page.click('#rename')
  await page.waitForFunction(`${textOf('#error')} === 'TandemClaimedError: entity_claimed'`, undefined, wait)
  await claim.release()
  await page.waitForFunction(`${textOf('#holder')} === 'free'`, undefined, wait)
}

/**
 * The server goes away (`stop`) and comes back (`start`, same port and store): the status leaves `connected`, passes
 * through `backoff` (the server is unreachable; `offline` means the browser has no network) and is `connected` again.
 */
export async function expectReconnect(page: Page, stop: () => Promise<void>, start: () => Promise<void>): Promise<void> {
  await page.waitForFunction(`${textOf('#status')} === 'connected'`, undefined, wait)
  await stop()
  await page.waitForFunction(`${textOf('#status')} !== 'connected'`, undefined, wait)
  await start()
  await page.waitForFunction(`${textOf('#status')} === 'connected'`, undefined, { timeout: 30_000 })
  const seen = await page.evaluate(() => document.querySelector('#status')!.getAttribute('data-seen')!.split(' '))
  if (seen.at(-1) !== 'connected' || !seen.slice(seen.indexOf('connected') + 1).includes('backoff')) {
    throw new Error(`status went ${seen.join(' → ')}; expected connected → … backoff … → connected`)
  }
}
