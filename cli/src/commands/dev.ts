/** @module `tandem dev`: the embedded server on a SQLite file, with a dev key that survives restarts. */
import { existsSync, readFileSync } from 'node:fs'
import { createServer, generateSecretKey } from '@tandem/core/server'
import { webhooks } from '@tandem/webhooks'
import { storeFromUrl } from '../store-from-url.ts'
import { mountLlmsTxt } from '../llms-txt.ts'
import { loadSchema } from '../load-schema.ts'
import { parseCommand } from '../command-parser.ts'
import { devSpec } from '../command-spec.ts'
import { closeOnSignals, defaultDatabasePath, serverOptions } from '../options.ts'
import { writePrivateFile } from '../private-file.ts'
import { preparePlayground } from '../playground.ts'

const keyFile = '.tandem/dev-key'

function devKey(): string {
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim()
  const key = generateSecretKey()
  writePrivateFile(keyFile, `${key}\n`)
  return key
}

export async function devCommand(argv: string[]): Promise<number | void> {
  const args = parseCommand(devSpec, argv)
  if (!args) return 0
  // The dev server ignores DATABASE_URL (that is usually the app's own database): only --database-url picks another store.
  const opts = serverOptions(args, { useEnvDatabase: false })
  const schema = await loadSchema(opts.schemaPath)
  const key = devKey()
  // The playground is the demo board: only with the default schema.
  const playground = opts.schemaPath ? null : await preparePlayground()
  const store = await storeFromUrl(opts.databaseUrl)
  // Dev receivers usually run on this machine: webhooks may reach loopback and private addresses (and loopback over http).
  const plugins = [webhooks({ allowPrivateUrls: true })]
  const server = await createServer({ schema, store, port: opts.port, host: opts.host, secretKeys: [key], sessionSecret: opts.sessionSecret, plugins })
  mountLlmsTxt(server.app)
  const closePlayground = await playground?.(server, schema, key)
  console.log(`Tandem dev server listening on ${server.url}`)
  if (playground) console.log(`Playground: open ${server.url}/ in a browser`)
  console.log(`Dev key: ${key}`)
  console.log(`Data: ${opts.databaseUrl ?? defaultDatabasePath} (${store.kind}) · models: ${schema.modelNames.join(', ')}`)
  console.log(`Try:  curl -H "Authorization: Bearer ${key}" ${server.url}/v1/models/${schema.modelNames[0]}`)
  closeOnSignals(async () => {
    await closePlayground?.() // its agents first: their clients would reconnect to a closing server
    await server.close()
  })
}
