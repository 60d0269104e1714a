import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', 'runes.svelte': 'src/runes.svelte.ts' },
  format: 'esm',
  dts: true,
  platform: 'browser',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//, /^svelte(\/|$)/, 'nanostores'],
})
