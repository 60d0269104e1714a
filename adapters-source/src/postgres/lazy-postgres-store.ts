/**
 * @module `postgresStore` as `@tandem/sources` exports it: the driver (`postgres`, an optional peer dependency) loads when the
 * store opens, so apps on SQLite or a Data Source import `@tandem/sources` without installing it.
 * `@tandem/sources/postgres` exports the store itself.
 */
import { TandemValidationError } from '@tandem/core'
import type { PostgresStore, PostgresStoreOptions } from './postgres-store.ts'

async function loadDriverStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  try {
    const { postgresStore } = await import('./postgres-store.ts')
    return postgresStore(options)
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes("'postgres'")) {
      throw new TandemValidationError({ code: 'invalid_request', message: 'postgresStore needs the `postgres` package: npm install postgres', cause: error })
    }
    throw error
  }
}

/**
 * A Postgres store; see `@tandem/sources/postgres` for the options.
 * @example
 * const server = await createServer({ schema, store: postgresStore({ url: process.env.DATABASE_URL! }) })
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  let inner: Promise<PostgresStore> | undefined
  const load = () => (inner ??= loadDriverStore(options))
  let loaded: PostgresStore | undefined
  const base = {
    kind: 'postgres' as const,
    async open(schema: Parameters<PostgresStore['open']>[0]) {
      loaded = await load()
      return loaded.open(schema)
    },
  }
  // Every other member is a method of the real store: bound once it is there, else called once it has loaded.
  return new Proxy(base, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target]
      if (typeof prop !== 'string' || prop === 'then') return undefined
      if (loaded) {
        const member = loaded[prop as keyof PostgresStore]
        return typeof member === 'function' ? member.bind(loaded) : member
      }
      return async (...args: unknown[]) => {
        const store = (loaded = await load())
        return (store[prop as keyof PostgresStore] as (...a: unknown[]) => unknown)(...args)
      }
    },
  }) as unknown as PostgresStore
}

export type { PostgresStore, PostgresStoreOptions }
