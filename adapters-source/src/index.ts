/** @module `@tandem/sources`: every store from one place. */
export { memoryStore, sqliteStore, type SqliteStoreOptions, type Store } from '@tandem/core/server'
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.ts'
