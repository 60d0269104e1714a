/** @module Test helper: cleanups registered during a test run after it, newest first. */
import { afterEach } from 'vitest'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

export function defer(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(async () => void (await fn()))
}
