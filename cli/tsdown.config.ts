import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'demo-schema': 'src/demo-schema.ts' },
  format: 'esm',
  dts: true,
  platform: 'node',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//],
  // Served at GET /llms.txt (see src/llms-txt.ts).
  copy: [{ from: '../llms.txt', to: 'dist' }],
})
