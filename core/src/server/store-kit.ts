/**
 * @module `@tandem/core/store-kit`: the parts a `Store` implementation is built from (the shared SQL dialect layer, the row
 * codec, list compilation, migration planning, a mutex, stable JSON). For store authors: these follow the stores' needs and
 * may change between minor versions; apps use `@tandem/core/server`.
 */
export { addedLogColumns, internalDdl, logRunIndexSql } from './sql/internal-ddl.ts'
export { createRowCodec, type RowCodec } from './sql/row-codec.ts'
export { compileList, groupClause } from './sql/query-sql.ts'
export { postgresDialect, sqliteDialect, type Dialect } from './sql/dialect.ts'
export { planAdditiveMigration } from './sql/migrate.ts'
export { modelIndexNames } from './sql/schema-changes.ts'
export { Mutex } from './mutex.ts'
export { jsonEqual, stableStringify } from '../internal/stable-json.ts'
