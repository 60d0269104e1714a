import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Tests run on source: the "@tandem/source" export condition points every package at src/.
export default defineConfig({
  resolve: { conditions: ['@tandem/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@tandem/source', ...defaultServerConditions], externalConditions: ['@tandem/source'] } },
  test: {
    include: ['**/test/**/*.test.ts', '**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
