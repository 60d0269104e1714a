/** @module Load a user's schema module (`export const schema` or a default export). */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Schema } from '@tandem/core/schema'

export async function loadSchema(path: string | undefined): Promise<Schema> {
  if (!path) return (await import('./demo-schema.ts')).schema
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { schema?: Schema; default?: Schema }
  const schema = mod.schema ?? mod.default
  if (!schema || schema.kind !== 'schema') throw new Error(`${path} must export \`schema\` (or a default export) made with defineSchema()`)
  return schema
}
