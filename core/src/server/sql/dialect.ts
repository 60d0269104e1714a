/** @module The few places SQLite and Postgres SQL differ, for the shared SQL layer. */
import type { SqlDialect } from '../../schema/ddl.ts'

export interface Dialect {
  name: SqlDialect
  /** Placeholder for the n-th (1-based) parameter. */
  param(n: number): string
  /** Null-safe equality. */
  isSame: string
  /** Null-safe inequality. */
  isNotSame: string
  /** ORDER BY suffix giving "nulls sort first" in ascending order. */
  nulls(dir: 'asc' | 'desc'): string
  /** Binary (code-unit) string comparison, as JS compares. */
  collate: string
  /** SQL that is true when the JSON array column `_groups` shares an element with the parameter list. */
  groupsOverlap(column: string, params: string[]): string
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  param: () => '?',
  isSame: 'IS',
  isNotSame: 'IS NOT',
  nulls: (dir) => (dir === 'asc' ? 'NULLS FIRST' : 'NULLS LAST'),
  collate: '',
  groupsOverlap: (column, params) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (${params.join(', ')}))`,
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  param: (n) => `$${n}`,
  isSame: 'IS NOT DISTINCT FROM',
  isNotSame: 'IS DISTINCT FROM',
  nulls: (dir) => (dir === 'asc' ? 'NULLS FIRST' : 'NULLS LAST'),
  collate: ' COLLATE "C"',
  groupsOverlap: (column, params) => `${column} ?| ${params[0]}::text[]`,
}
