/**
 * @module `@tandem/sources`: every store from one place (also as the subpaths `./postgres` and `./http`). `postgres` is an
 * optional peer dependency: it loads when a `postgresStore` opens.
 */
export { memoryStore, sqliteStore, type SqliteStoreOptions, type SqliteDurability, type Store } from '@tandem/core/server'
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres/lazy-postgres-store.ts'
export * from './http-source/index.ts'
