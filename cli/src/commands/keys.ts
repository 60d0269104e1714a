/** @module `tandem keys create|list|revoke`: secret keys, stored hashed in the server's database. */
import { defineSchema } from '@tandem/core/schema'
import { keyKind, type KeyRecord, newKeyRecord } from '@tandem/core/server'
import { parseCommand, pickSubcommand } from '../command-parser.ts'
import { keysSpec } from '../command-spec.ts'
import { storeFromUrl } from '../store-from-url.ts'

export async function keysCommand(argv: string[]): Promise<number> {
  const picked = pickSubcommand(keysSpec, argv)
  if (!picked) return 0
  const args = parseCommand(picked.sub, picked.rest)
  if (!args) return 0
  const { values, positionals } = args
  const sub = picked.sub.name
  // No lock: keys are made and revoked beside a running `tandem dev`/`serve` (SQLite's busy timeout orders the writes).
  const store = await storeFromUrl((values['database-url'] as string | undefined) ?? process.env['DATABASE_URL'], { lock: false })
  // Only the internal tables are needed here.
  await store.open(defineSchema({}))
  try {
    if (sub === 'keys create') {
      const { key, record } = newKeyRecord((values['label'] as string | undefined) ?? '')
      await store.putRecord(keyKind, record.id, record)
      console.log(`Created ${record.id}${record.label ? ` (${record.label})` : ''}. The key is shown only now:\n${key}`)
      return 0
    }
    if (sub === 'keys list') {
      const keys = (await store.listRecords(keyKind)).map((r) => r.value as KeyRecord)
      if (keys.length === 0) console.log('No stored keys (keys given in TANDEM_SECRET_KEYS are not listed).')
      for (const k of keys) console.log(`${k.id}  ${k.prefix}…  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  created ${k.createdAt}  ${k.label}`)
      return 0
    }
    const id = positionals[0]!
    const record = (await store.getRecord(keyKind, id)) as KeyRecord | null
    if (!record) {
      console.error(`No key ${id}`)
      return 1
    }
    await store.putRecord(keyKind, record.id, { ...record, revokedAt: new Date().toISOString() })
    console.log(`Revoked ${record.id}`)
    return 0
  } finally {
    await store.close()
  }
}
