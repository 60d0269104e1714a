/** @module `@tandem/webhooks`: the `webhooks()` server plugin, its types, and the Standard Webhooks signing helpers (also at `./signing`). */
export { webhooks } from './plugin.ts'
export { webhookEndpoints, type EndpointServiceOptions, type WebhookEndpoints } from './endpoint-service.ts'
export { defaultRetrySchedule, type WebhooksOptions } from './options.ts'
export type { WebhookEvent } from './events.ts'
export type { DeliveryAttempt, EndpointStatus, PublicEndpoint } from './endpoint.ts'
export { classifyAddress, type AddressClass, type ResolvedAddress, type Resolver } from './address-guard.ts'
export {
  generateSecret,
  secretKey,
  sign,
  signedHeaders,
  timestampToleranceSeconds,
  verify,
  WebhookVerificationError,
  type SignedHeaders,
  type VerificationFailure,
} from './signing.ts'
