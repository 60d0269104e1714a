import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', schema: 'src/schema/index.ts', server: 'src/server/index.ts', testing: 'src/testing/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'neutral',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^node:/, 'ws', 'hono', /^hono\//, '@hono/node-server', 'zod', 'nanostores'],
})
