/** @module `@tandem/sources`: every store from one place (also as the subpaths `./postgres` and `./http`). */
export { memoryStore, sqliteStore, type SqliteStoreOptions, type Store } from '@tandem/core/server'
export * from './postgres/index.ts'
export * from './http-source/index.ts'
