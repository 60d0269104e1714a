/** @module `@tandem/sources/postgres`: the Postgres store, for several server nodes on one database. */
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres-store.ts'
