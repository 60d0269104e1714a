/** @module `tandem serve`: the production server. */
import { createServer } from '@tandem/core/server'
import { webhooks } from '@tandem/webhooks'
import { mountLlmsTxt } from '../llms-txt.ts'
import { loadSchema } from '../load-schema.ts'
import { parseCommand } from '../command-parser.ts'
import { serveSpec } from '../command-spec.ts'
import { closeOnSignals, serverOptions } from '../options.ts'
import { storeFromUrl } from '../store-from-url.ts'

export async function serveCommand(argv: string[]): Promise<number | void> {
  const args = parseCommand(serveSpec, argv)
  if (!args) return 0
  const opts = serverOptions(args)
  const schema = await loadSchema(opts.schemaPath)
  const store = await storeFromUrl(opts.databaseUrl)
  const secretKeys = (process.env['TANDEM_SECRET_KEYS'] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
  const server = await createServer({
    schema,
    store,
    port: opts.port,
    host: opts.host,
    sessionSecret: opts.sessionSecret,
    plugins: [webhooks({ allowPrivateUrls: opts.allowPrivateWebhookUrls })],
    ...(secretKeys.length ? { secretKeys } : {}),
  })
  mountLlmsTxt(server.app)
  if (!secretKeys.length) console.log(`Secret key (shown once; set TANDEM_SECRET_KEYS to keep one): ${server.secretKey}`)
  if (opts.sessionSecret === undefined)
    console.log('Session tokens are signed with a secret kept in the database (set TANDEM_SESSION_SECRET or --session-secret-file to keep it out)')
  console.log(`Tandem server (${store.kind}) listening on ${server.url}`)
  closeOnSignals(() => server.close())
}
