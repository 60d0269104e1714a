/** @module `@tandem/sources`: every store from one place. */
export { memoryStore, sqliteStore, type SqliteStoreOptions, type Store } from '@tandem/core/server'
