/** sqliteStore's open() resolves to the schema changes it applied to the model tables: nothing when the file already matches. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineSchema, model, z } from '@tandem/core/schema'
import { describeSchemaChange, sqliteStore } from '@tandem/core/server'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'tandem-schema-changes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function openWith(path: string, schema: ReturnType<typeof defineSchema>): Promise<string[]> {
  const store = sqliteStore({ path })
  try {
    return ((await store.open(schema)) ?? []).map(describeSchemaChange)
  } finally {
    await store.close()
  }
}

describe('sqliteStore open() reports its schema changes', () => {
  it('added table, nothing, added column and index, rebuilt table', async () => {
    const path = join(dir, 'changes.db')
    const v1 = defineSchema({ cards: model({ title: z.string(), status: z.enum(['todo', 'done']) }) })
    expect(await openWith(path, v1)).toEqual(['added table cards'])
    expect(await openWith(path, v1)).toEqual([])
    const v2 = defineSchema({
      cards: model({ title: z.string(), status: z.enum(['todo', 'done']), priority: z.number().int().default(0) }, { indexes: ['priority'] }),
    })
    expect(await openWith(path, v2)).toEqual(['added column cards.priority', 'added index cards_priority_idx'])
    const v3 = defineSchema({
      cards: model({ title: z.string(), status: z.enum(['todo', 'doing', 'done']), priority: z.number().int().default(0) }, { indexes: ['priority'] }),
    })
    expect(await openWith(path, v3)).toEqual(['rebuilt table cards (optional, required, default or enum values changed)'])
    expect(await openWith(path, v3)).toEqual([])
  })
})
