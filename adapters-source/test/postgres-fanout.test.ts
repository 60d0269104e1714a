/** @module Two server nodes on one Postgres: a client on each sees the other's writes live, in one gapless log. */
import Tandem from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { createServer } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { postgresStore } from '@tandem/sources'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresAvailable, useTestDatabase } from './postgres-db.ts'

const withPostgres = await postgresAvailable()
const schema = defineSchema({ notes: model({ text: z.string(), n: z.number().int() }) })

describe.skipIf(!withPostgres)('cross-node fan-out', () => {
  const database = useTestDatabase({ beforeAll, afterAll, beforeEach })

  it('clients on two nodes converge on interleaved writes', async () => {
    const key = 'sk_test_nodes'
    const start = () => createServer({ schema, store: postgresStore({ url: database().url, max: 4 }), port: 0, secretKeys: [key] })
    const [n1, n2] = [await start(), await start()]
    const a = Tandem({ schema, baseURL: n1.url, apiKey: key })
    const b = Tandem({ schema, baseURL: n2.url, apiKey: key })
    try {
      await Promise.all([a.ready(), b.ready()])
      const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).notes.create({ id: `n${i}`, data: { text: `from ${i % 2 ? 'a' : 'b'}`, n: i } }))
      const rows = await Promise.all(writes)
      expect(rows.map((r) => r.syncId).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      for (const c of [a, b]) await until(c, (t) => t.cursor() === 40 && t.notes.getCount() === 40, 15_000)
      expect(a.snapshot()).toEqual(b.snapshot())
    } finally {
      await a.dispose()
      await b.dispose()
      await n1.close()
      await n2.close()
    }
  })

  it('claims are shared by the nodes: exclusive, visible, and handed off across nodes in order', async () => {
    const key = 'sk_test_nodes'
    const start = () => createServer({ schema, store: postgresStore({ url: database().url, max: 4 }), port: 0, secretKeys: [key] })
    const [n1, n2] = [await start(), await start()]
    const a = Tandem({ schema, baseURL: n1.url, apiKey: key, participant: { kind: 'agent', name: 'on-node-1' } })
    const b = Tandem({ schema, baseURL: n2.url, apiKey: key, participant: { kind: 'human', name: 'on-node-2' } })
    try {
      await Promise.all([a.ready(), b.ready()])
      await a.notes.create({ id: 'shared', data: { text: 'v0', n: 0 } })
      await until(b, (t) => t.notes.get('shared'))
      const held = await a.notes.claim({ id: 'shared', action: 'editing on node 1' })
      await until(b, (t) => t.notes.claim.state({ id: 'shared' })?.heldBy.name === 'on-node-1', 15_000)
      await expect(b.notes.update({ id: 'shared', data: { text: 'clobber' } })).rejects.toMatchObject({ code: 'entity_claimed' })
      await expect(b.notes.claim({ id: 'shared', wait: false })).rejects.toMatchObject({ code: 'entity_claimed' })
      const waiting = b.notes.claim({ id: 'shared', action: 'next on node 2' })
      await until(a, (t) => t.notes.claim.queue({ id: 'shared' }).length === 1, 15_000)
      await a.notes.update({ id: 'shared', data: { text: 'v1 from node 1', n: 1 } })
      await held.release()
      const mine = await waiting
      expect(mine.data).toMatchObject({ text: 'v1 from node 1', n: 1 })
      await expect(a.notes.update({ id: 'shared', data: { text: 'late' } })).rejects.toMatchObject({ code: 'entity_claimed' })
      await b.notes.update({ id: 'shared', data: { text: 'v2 from node 2', n: 2 } })
      await mine.release()
      await until(a, (t) => t.notes.get('shared')?.n === 2 && t.notes.claim.state({ id: 'shared' }) === null, 15_000)
    } finally {
      await a.dispose()
      await b.dispose()
      await n1.close()
      await n2.close()
    }
  })

  it('claim → release → claim again at once, many times, never reports a claim it did not lose', async () => {
    const key = 'sk_test_nodes'
    const server = await createServer({ schema, store: postgresStore({ url: database().url, max: 4 }), port: 0, secretKeys: [key] })
    const a = Tandem({ schema, baseURL: server.url, apiKey: key })
    try {
      await a.ready()
      await a.notes.create({ id: 'loop', data: { text: 'x', n: 0 } })
      for (let i = 0; i < 30; i++) {
        const claim = await a.notes.claim({ id: 'loop', timeoutMs: 5000 })
        await claim.release()
      }
    } finally {
      await a.dispose()
      await server.close()
    }
  })
})
