/** @module `tandem keys create|list|revoke`: secret keys, stored hashed in the server's database. */
import { parseArgs } from 'node:util'
import { defineSchema } from '@tandem/core/schema'
import { keyKind, type KeyRecord, newKeyRecord } from '@tandem/core/server'
import { storeFromUrl } from '../store-from-url.ts'

const usage = `Usage: tandem keys create [--label text] | list | revoke <key id>   [--database-url url]
The server picks key changes up within a second; revoking a key also ends the session tokens it minted.`

export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    options: { label: { type: 'string' }, 'database-url': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  // No lock: keys are made and revoked beside a running `tandem dev`/`serve` (SQLite's busy timeout orders the writes).
  const store = await storeFromUrl(values['database-url'] ?? process.env['DATABASE_URL'], { lock: false })
  // Only the internal tables are needed here.
  await store.open(defineSchema({}))
  try {
    if (sub === 'create') {
      const { key, record } = newKeyRecord(values.label ?? '')
      await store.putRecord(keyKind, record.id, record)
      console.log(`Created ${record.id}${record.label ? ` (${record.label})` : ''}. The key is shown only now:\n${key}`)
      return 0
    }
    if (sub === 'list') {
      const keys = (await store.listRecords(keyKind)).map((r) => r.value as KeyRecord)
      if (keys.length === 0) console.log('No stored keys (keys given in TANDEM_SECRET_KEYS are not listed).')
      for (const k of keys) console.log(`${k.id}  ${k.prefix}…  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  created ${k.createdAt}  ${k.label}`)
      return 0
    }
    if (sub === 'revoke' && positionals[0]) {
      const record = (await store.getRecord(keyKind, positionals[0])) as KeyRecord | null
      if (!record) {
        console.error(`No key ${positionals[0]}`)
        return 1
      }
      await store.putRecord(keyKind, record.id, { ...record, revokedAt: new Date().toISOString() })
      console.log(`Revoked ${record.id}`)
      return 0
    }
    console.error(usage)
    return 2
  } finally {
    await store.close()
  }
}
