/** @module `tandem schema ddl|openapi`. */
import { parseArgs } from 'node:util'
import { openApiDocument, schemaDdl } from '@tandem/core/schema'
import { internalDdl } from '@tandem/core/server'
import { loadSchema } from '../load-schema.ts'

export async function schemaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  const { values } = parseArgs({ args: rest, options: { schema: { type: 'string' }, dialect: { type: 'string' } }, strict: true })
  const schema = await loadSchema(values.schema)
  if (sub === 'ddl') {
    const dialect = values.dialect ?? 'sqlite'
    if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--dialect must be sqlite or postgres')
    console.log([...schemaDdl(schema, dialect), ...internalDdl(dialect)].map((s) => `${s};`).join('\n\n'))
    return 0
  }
  if (sub === 'openapi') {
    console.log(JSON.stringify(openApiDocument(schema), null, 2))
    return 0
  }
  console.error('Usage: tandem schema ddl [--dialect sqlite|postgres] [--schema file] | tandem schema openapi [--schema file]')
  return 2
}
