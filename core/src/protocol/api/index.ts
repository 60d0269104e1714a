/** @module The HTTP API as data: the route table, per-model wire types, and the OpenAPI document built from them. */
export {
  defineRoute,
  resolveSchema,
  type ApiContribution,
  type ApiResponse,
  type ApiRoute,
  type ApiWebhook,
  type HttpMethod,
  type RouteAuth,
  type SchemaOf,
} from './api-route.ts'
export { apiRoutes, apiTags, maxWaitSeconds } from './routes.ts'
export { anyRow, changeUnion, modelWire, operationUnion, pascal, rowIdSchema } from './model-schemas.ts'
export { openApiDocument, type OpenApiOptions } from './openapi-document.ts'
