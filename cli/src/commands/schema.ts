/** @module `tandem schema ddl|openapi|push`. */
import { openApiDocument } from '@tandem/core/protocol'
import { schemaDdl } from '@tandem/core/schema'
import { describeSchemaChange, type SchemaChange } from '@tandem/core/server'
import { webhooks } from '@tandem/webhooks'
import { internalDdl } from '@tandem/core/store-kit'
import { parseCommand, pickSubcommand } from '../command-parser.ts'
import { schemaSpec } from '../command-spec.ts'
import { loadSchema } from '../load-schema.ts'
import { storeFromUrl } from '../store-from-url.ts'

export async function schemaCommand(argv: string[]): Promise<number> {
  const picked = pickSubcommand(schemaSpec, argv)
  if (!picked) return 0
  const args = parseCommand(picked.sub, picked.rest)
  if (!args) return 0
  const sub = picked.sub.name.split(' ')[1]
  const values = args.values as { schema?: string; dialect?: string; 'database-url'?: string; 'server-url'?: string }
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
    let changes: SchemaChange[] | void
    try {
      changes = await store.open(schema)
    } finally {
      await store.close().catch(() => undefined)
    }
    if (!changes) console.log(`Schema pushed to the ${store.kind} store (it does not report what it changed): ${schema.modelNames.join(', ')}`)
    else if (changes.length === 0) console.log(`The ${store.kind} store is up to date: ${schema.modelNames.join(', ')}`)
    else console.log(`Schema pushed to the ${store.kind} store:\n${changes.map((c) => `  ${describeSchemaChange(c)}`).join('\n')}`)
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
  throw new Error(`unhandled ${picked.sub.name}`)
}
