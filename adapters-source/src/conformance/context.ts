/** @module The conformance suite's types: the runner it registers with, its options, and what each group of tests shares. */
import type { Store } from '@tandem/core/server'

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
