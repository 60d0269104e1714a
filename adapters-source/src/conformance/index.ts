/**
 * @module `@tandem/sources/conformance`: the suite every `Store` must pass.
 *
 * It takes the test runner's functions as a parameter, so it works with
 * vitest, jest or node:test wrappers and does not import any of them.
 * @example
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest'
 * import { describeStoreConformance } from '@tandem/sources/conformance'
 * describeStoreConformance('my store', () => myStore(), { describe, it, expect, beforeEach, afterEach })
 */
import type { Store } from '@tandem/core/server'
import { conformanceSchema } from './fixture.ts'
import { logTests } from './log-tests.ts'
import { recordTests } from './record-tests.ts'
import { rowTests } from './row-tests.ts'
import { transactionTests } from './transaction-tests.ts'

/** The few matchers the suite uses (vitest's and jest's `expect` fit). */
export interface ConformanceMatchers {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toBeNull(): void
  toHaveLength(length: number): void
  toBeGreaterThan(n: number): void
  not: ConformanceMatchers
  rejects: { toThrow(expected?: string | RegExp): Promise<void> }
}

/** The runner functions the suite registers its tests with. */
export interface ConformanceRunner {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>, timeout?: number): void
  expect(actual: unknown): ConformanceMatchers
  beforeEach(fn: () => Promise<void>): void
  afterEach(fn: () => Promise<void>): void
}

export interface ConformanceOptions {
  /**
   * For durable stores: a new Store on the same data as the store `makeStore`
   * returned last (same file, same database). Omit it to skip the reopen test.
   */
  reopen?: () => Promise<Store> | Store
  /**
   * Reads outside `transaction()` see only committed state (default true).
   * Set false only for a store that cannot isolate them (it then fails the contract in that respect).
   */
  isolatedReads?: boolean
  /** Per-test timeout in ms passed to `it` (default: the runner's). */
  timeout?: number
}

/** What each group of tests shares: the open store of the current test. */
export interface ConformanceContext {
  t: ConformanceRunner
  options: ConformanceOptions
  /** The open store of the running test (replaced by the reopen test). */
  store: Store
  it(name: string, fn: () => Promise<void>): void
}

/**
 * Register the store conformance tests. `makeStore` must return a new,
 * empty, not yet opened store each time; the suite opens it with its own
 * schema before each test and closes it after.
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<Store> | Store, t: ConformanceRunner, options: ConformanceOptions = {}): void {
  t.describe(`Store conformance: ${name}`, () => {
    const ctx: ConformanceContext = {
      t,
      options,
      store: undefined as unknown as Store,
      it: (testName, fn) => (options.timeout === undefined ? t.it(testName, fn) : t.it(testName, fn, options.timeout)),
    }
    t.beforeEach(async () => {
      const store = await makeStore()
      ctx.store = store
      await store.open(conformanceSchema)
    })
    t.afterEach(async () => {
      const store = ctx.store
      ctx.store = undefined as unknown as Store
      await store?.close()
    })
    t.describe('rows', () => rowTests(ctx))
    t.describe('transactions', () => transactionTests(ctx))
    t.describe('log and idempotency', () => logTests(ctx))
    t.describe('records', () => recordTests(ctx))
  })
}

export { conformanceSchema } from './fixture.ts'
