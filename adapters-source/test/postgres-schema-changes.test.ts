/** postgresStore's open() resolves to the schema changes it applied: tables, columns, indexes, nullability and enum CHECKs. */
import { defineSchema, model, z } from '@tandem/core/schema'
import { describeSchemaChange } from '@tandem/core/server'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

describe.skipIf(!(await postgresAvailable()))('postgresStore open() reports its schema changes', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach })

  async function openWith(schema: ReturnType<typeof defineSchema>): Promise<string[]> {
    const store = postgresStore({ url: database().url, max: 2 })
    try {
      return ((await store.open(schema)) ?? []).map(describeSchemaChange)
    } finally {
      await store.close()
    }
  }

  it('added table, nothing, added column and index, changed columns', async () => {
    const v1 = defineSchema({ cards: model({ title: z.string(), status: z.enum(['todo', 'done']) }) })
    expect(await openWith(v1)).toEqual(['added table cards'])
    expect(await openWith(v1)).toEqual([])
    const v2 = defineSchema({
      cards: model({ title: z.string(), status: z.enum(['todo', 'done']), priority: z.number().int().default(0) }, { indexes: ['priority'] }),
    })
    expect(await openWith(v2)).toEqual(['added column cards.priority', 'added index cards_priority_idx'])
    const v3 = defineSchema({
      cards: model(
        { title: z.string().optional(), status: z.enum(['todo', 'doing', 'done']), priority: z.number().int().default(0) },
        { indexes: ['priority'] },
      ),
    })
    expect(await openWith(v3)).toEqual(['changed column cards.title (now optional)', 'changed column cards.status (enum values)'])
    expect(await openWith(v3)).toEqual([])
  })
})
