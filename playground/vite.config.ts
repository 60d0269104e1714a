/** @module The playground's Vite build: one page, three panes (React, Vue, Svelte), built on the packages' sources. */
import { svelte } from '@sveltejs/vite-plugin-svelte'
import vue from 'unplugin-vue/vite'
import { defaultClientConditions, defineConfig } from 'vite'

export default defineConfig({
  // Served by `tandem dev` at `/`; relative asset paths keep it working under any mount point.
  base: './',
  plugins: [vue(), svelte()],
  // Build on the workspace packages' sources (no `npm run build` of the libraries first).
  resolve: { conditions: ['@tandem/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 2000 },
})
