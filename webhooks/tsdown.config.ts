import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', signing: 'src/signing.ts' },
  format: 'esm',
  dts: true,
  // ./signing runs in browsers, edge runtimes and Node alike.
  platform: 'neutral',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//, 'standardwebhooks'],
})
