import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', postgres: 'src/postgres/index.ts', http: 'src/http-source/index.ts', conformance: 'src/conformance/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'node',
  outDir: 'dist',
  clean: true,
  fixedExtension: false,
  external: [/^@tandem\//, 'postgres'],
})
