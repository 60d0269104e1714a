/** @module `--database-url` → a Store. */
import { existsSync } from 'node:fs'
import type { SqliteDurability, Store } from '@tandem/core/server'
import { sqliteStore } from '@tandem/sources'
import { defaultDatabasePath, oldDefaultDatabasePath } from './options.ts'

/** The default file; a file left at the old default is named once so its keys and rows are not silently ignored. */
function defaultStore(lock: boolean): Store {
  if (existsSync(oldDefaultDatabasePath))
    console.warn(
      `tandem: using ${defaultDatabasePath}; ${oldDefaultDatabasePath} (the old default) is not read: pass --database-url ${oldDefaultDatabasePath} to use it`,
    )
  return sqliteStore({ path: defaultDatabasePath, lock })
}

/**
 * No URL → the default SQLite file; `sqlite:path` / `file:path` / a plain path → sqliteStore; `postgres://…` → postgresStore;
 * `lock: false` for admin commands that work beside a running server (SQLite's busy timeout orders the writes).
 * `https://…` (or `http://` on loopback) → httpSource, the customer's own endpoint, signed with TANDEM_SOURCE_SECRET.
 */
export async function storeFromUrl(url: string | undefined, { lock = true } = {}): Promise<Store> {
  if (!url) return defaultStore(lock)
  if (/^https?:\/\//.test(url)) {
    const { protocol, hostname } = new URL(url)
    if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
      throw new Error('A Data Source URL must be https:// (plain http:// only for an endpoint on this machine)')
    }
    const secret = process.env['TANDEM_SOURCE_SECRET']
    if (!secret) throw new Error('A Data Source URL needs TANDEM_SOURCE_SECRET (the whsec_… secret it verifies)')
    const { httpSource } = await import('@tandem/sources')
    return httpSource({ url, secret })
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const sources = (await import('@tandem/sources')) as Record<string, unknown>
    const postgresStore = sources['postgresStore'] as ((o: { url: string }) => Store) | undefined
    if (!postgresStore) throw new Error('Postgres support is not built yet in @tandem/sources (see the stores issue); use a SQLite path')
    return postgresStore({ url })
  }
  return sqliteFromUrl(url, lock)
}

/** `sqlite:path?durability=process`: the path, and the store's options as query parameters. */
function sqliteFromUrl(url: string, lock: boolean): Store {
  const [path = '', query = ''] = url.replace(/^(sqlite|file):(\/\/)?/, '').split('?', 2)
  const params = new URLSearchParams(query)
  const durability = params.get('durability') ?? undefined
  for (const name of params.keys()) if (name !== 'durability') throw new Error(`Unknown SQLite option ?${name}= in --database-url (known: durability)`)
  // sqliteStore refuses a value other than full / process itself.
  return sqliteStore({ path, lock, ...(durability ? { durability: durability as SqliteDurability } : {}) })
}
