/** @module `@tandem/core/schema`: defineSchema, model, z and the inferred types. */
export { z } from 'zod'
export { defineSchema, model, systemFields } from './model.ts'
export type { GroupContext, ModelDef, ModelMap, ModelOptions, Schema } from './model.ts'
export type { AnyRow, CreateInputOf, ModelNameOf, ModelsOf, RowOf, SystemFields, UpdateInputOf } from './types.ts'
export { schemaDdl, modelDdl, type SqlDialect } from './ddl.ts'
export { fieldKind, shapeKinds, type FieldKind, type ColumnType } from './field-kind.ts'
export type { Where, WhereOps, OrderBy, Scalar, SortDirection } from './query.ts'
