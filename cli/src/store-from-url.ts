/** @module `--database-url` → a Store. */
import type { Store } from '@tandem/core/server'
import { sqliteStore } from '@tandem/sources'

/** `sqlite:path` / `file:path` / a plain path → sqliteStore; `postgres://…` → postgresStore. */
export async function storeFromUrl(url: string | undefined, fallbackPath: string): Promise<Store> {
  if (!url) return sqliteStore({ path: fallbackPath })
  if (/^postgres(ql)?:\/\//.test(url)) {
    const sources = (await import('@tandem/sources')) as Record<string, unknown>
    const postgresStore = sources['postgresStore'] as ((o: { url: string }) => Store) | undefined
    if (!postgresStore) throw new Error('Postgres support is not built yet in @tandem/sources (see the stores issue); use a SQLite path')
    return postgresStore({ url })
  }
  return sqliteStore({ path: url.replace(/^(sqlite|file):(\/\/)?/, '') })
}
