import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', signing: 'src/signing.ts' },
  format: 'esm',
  dts: true,
  // ./signing runs in browsers and edge runtimes too: built for the browser, so a Node built-in pulled in fails the build.
  platform: 'browser',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//, 'standardwebhooks'],
})
