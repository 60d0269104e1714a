import { resolve } from 'node:path'
import { defineConfig, type UserConfig } from 'tsdown'

const signingEntry = resolve(import.meta.dirname, 'src/signing.ts')
const shared: UserConfig = { format: 'esm', dts: true, outDir: 'dist', fixedExtension: false }

export default defineConfig([
  // ./signing runs in browsers and edge runtimes too: built for the browser, so a Node built-in pulled in fails the build.
  { ...shared, entry: { signing: 'src/signing.ts' }, platform: 'browser', clean: true, external: [/^@tandem\//, 'standardwebhooks'] },
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    platform: 'node',
    clean: false,
    external: [/^@tandem\//, 'standardwebhooks', /^node:/],
    // One copy of the signing code: the plugin imports it from ./signing, so `instanceof WebhookVerificationError` holds for either entry.
    plugins: [
      {
        name: 'tandem-shared-signing',
        resolveId(source: string, importer: string | undefined) {
          if (importer && resolve(importer, '..', source) === signingEntry) return { id: '@tandem/webhooks/signing', external: true }
          return null
        },
      },
    ],
  },
])
