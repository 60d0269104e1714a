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
import { runTests } from './run-tests.ts'
import { transactionTests } from './transaction-tests.ts'
import type { ConformanceContext, ConformanceOptions, ConformanceRunner } from './context.ts'

export type { ConformanceContext, ConformanceMatchers, ConformanceOptions, ConformanceRunner } from './context.ts'

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
    t.describe('runs', () => runTests(ctx))
  })
}

export { conformanceSchema } from './fixture.ts'
