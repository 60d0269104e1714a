/** @module `@tandem/sources`: every store from one place. */
export { memoryStore, sqliteStore, type SqliteStoreOptions, type Store } from '@tandem/core/server'
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.ts'
export { httpSource, type HttpSourceOptions } from './http-source/http-source.ts'
export { dataSourceFailure, type DataSourceFailure } from './http-source/source-errors.ts'
export type { SourceRequest, SourceOperation, SourceQuery, SourceScope, SourceCondition } from './http-source/protocol.ts'
