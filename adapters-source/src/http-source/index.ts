/** @module `@tandem/sources/http`: the customer's own Data Source, reached over signed HTTP. */
export { httpSource, type HttpSourceOptions } from './http-source.ts'
export { dataSourceFailure, type DataSourceFailure } from './source-errors.ts'
export type { SourceRequest, SourceOperation, SourceQuery, SourceScope, SourceCondition } from './protocol.ts'
