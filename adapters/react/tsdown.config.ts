import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'browser',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//, 'react', /^react\//],
})
