import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { mcp: 'src/mcp/index.ts', ai: 'src/ai/index.ts' },
  format: 'esm',
  dts: true,
  outDir: 'dist',
  fixedExtension: false,
  platform: 'node',
  clean: true,
  external: [/^@tandem\//, /^@modelcontextprotocol\//, 'ai', /^node:/],
})
