/** @module `tandem schema ddl|openapi`. */
import { parseArgs } from 'node:util'
import { openApiDocument } from '@tandem/core/protocol'
import { schemaDdl } from '@tandem/core/schema'
import { webhooks } from '@tandem/webhooks'
import { internalDdl } from '@tandem/core/store-kit'
import { loadSchema } from '../load-schema.ts'
import { storeFromUrl } from '../store-from-url.ts'

export async function schemaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: { schema: { type: 'string' }, dialect: { type: 'string' }, 'database-url': { type: 'string' }, 'server-url': { type: 'string' } },
    strict: true,
  })
  const schema = await loadSchema(values.schema)
  if (sub === 'ddl') {
    const dialect = values.dialect ?? 'sqlite'
    if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--dialect must be sqlite or postgres')
    console.log([...schemaDdl(schema, dialect), ...internalDdl(dialect)].map((s) => `${s};`).join('\n\n'))
    return 0
  }
  if (sub === 'push') {
    // Opening a store creates missing tables and adds new columns; a change that could lose data is refused.
    const store = await storeFromUrl(values['database-url'] ?? process.env['DATABASE_URL'], { lock: false })
    try {
      await store.open(schema)
    } finally {
      await store.close().catch(() => undefined)
    }
    console.log(`Schema pushed to the ${store.kind} store: ${schema.modelNames.join(', ')} up to date`)
    return 0
  }
  if (sub === 'openapi') {
    // The same document the server answers on GET /v1/openapi.json (the CLI's servers always mount webhooks).
    const serverUrl = values['server-url'] ?? (process.env['TANDEM_URL'] || 'http://127.0.0.1:7878')
    if (!URL.canParse(serverUrl)) throw new Error(`--server-url must be a URL, got "${serverUrl}"`)
    const api = webhooks().api
    console.log(JSON.stringify(openApiDocument(schema, { serverUrl, extensions: api ? [api] : [] }), null, 2))
    return 0
  }
  console.error('Usage: tandem schema ddl [--dialect sqlite|postgres] | openapi [--server-url url] | push [--database-url url]   (all take --schema file)')
  return 2
}
