import { resolve } from 'node:path'
import { defineConfig, type UserConfig } from 'tsdown'

const errorsEntry = resolve(import.meta.dirname, 'src/errors/index.ts')
const shared: UserConfig = { format: 'esm', dts: true, outDir: 'dist', fixedExtension: false }

export default defineConfig([
  // The client and the schema run in browsers: built for that platform, so a Node built-in pulled into them fails the build.
  {
    ...shared,
    entry: { index: 'src/index.ts', schema: 'src/schema/index.ts', protocol: 'src/protocol/index.ts' },
    platform: 'browser',
    clean: true,
    external: ['zod', 'nanostores'],
  },
  {
    ...shared,
    entry: { server: 'src/server/index.ts', 'store-kit': 'src/server/store-kit.ts', testing: 'src/testing/index.ts' },
    platform: 'node',
    clean: false,
    external: [/^node:/, 'ws', 'hono', /^hono\//, '@hono/node-server', 'zod', 'nanostores'],
    // One copy of the error classes for the whole package: the server entries import them from the client entry,
    // so `instanceof TandemError` holds for an error from either side.
    plugins: [
      {
        name: 'tandem-shared-errors',
        resolveId(source: string, importer: string | undefined) {
          if (importer && source.endsWith('errors/index.ts') && resolve(importer, '..', source) === errorsEntry) return { id: '@tandem/core', external: true }
          return null
        },
      },
    ],
  },
])
