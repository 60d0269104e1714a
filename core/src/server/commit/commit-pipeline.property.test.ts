/**
 * Property test of replay: commits re-sent any number of times, concurrently
 * and in any order, under their idempotency keys (sometimes with another
 * body). Each key lands at most once; every acceptance of a key answers the
 * same syncId; a different body under a used key is refused with
 * `idempotency_key_reused`; the log is gapless.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { defineSchema, model, z } from '../../schema/index.ts'
import { CommitPipeline } from './commit-pipeline.ts'
import { Hub } from '../sync/hub.ts'
import type { Session } from '../identity/session.ts'
import { memoryStore } from '../stores/memory-store.ts'

const schema = defineSchema({ notes: model({ text: z.string() }) })
const session: Session = { credentialId: 'k', actor: { id: 'k', kind: 'agent' }, groups: null, defaultGroup: 'org:default', secret: true }

const send = fc.record({ key: fc.nat(4), variant: fc.nat(1), wave: fc.nat(3) })

it('each idempotency key lands once, whatever the replays', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(send, { minLength: 1, maxLength: 40 }), async (sends) => {
      const store = memoryStore()
      await store.open(schema)
      const pipeline = new CommitPipeline({ schema, store, hub: new Hub((a, l) => store.readLog(a, l)), maxOperations: 10 })
      // Sends of the same wave go out together (concurrently); waves follow each other.
      const outcomes: Array<{ key: number; variant: number; syncId?: number; code?: string }> = []
      for (let wave = 0; wave <= 3; wave++) {
        await Promise.all(
          sends
            .filter((s) => s.wave === wave)
            .map(async ({ key, variant }) => {
              try {
                const r = await pipeline.submit(
                  session,
                  { operations: [{ op: 'create', model: 'notes', data: { text: `k${key}v${variant}` } }] },
                  `key-${key}`,
                  'http',
                )
                outcomes.push({ key, variant, syncId: r.syncId })
              } catch (e) {
                outcomes.push({ key, variant, code: (e as { code: string }).code })
              }
            }),
        )
      }
      const log = await store.readLog(0, 1000)
      expect(log.map((e) => e.syncId)).toEqual(log.map((_, i) => i + 1))
      const keys = new Set(sends.map((s) => s.key))
      expect(log).toHaveLength(keys.size)
      for (const key of keys) {
        const accepted = outcomes.filter((o) => o.key === key && o.syncId !== undefined)
        // The variant that landed is the only one ever accepted, always with the same syncId.
        expect(new Set(accepted.map((o) => o.syncId)).size).toBe(1)
        expect(new Set(accepted.map((o) => o.variant)).size).toBe(1)
        for (const o of outcomes.filter((o) => o.key === key && o.syncId === undefined)) {
          expect(o.code).toBe('idempotency_key_reused')
          expect(o.variant).not.toBe(accepted[0]!.variant)
        }
      }
    }),
    { numRuns: 200 },
  )
})
