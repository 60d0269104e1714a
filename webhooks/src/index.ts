/** @module `@tandem/webhooks`: for now the Standard Webhooks signing helpers (also at `@tandem/webhooks/signing`); the server plugin comes next. */
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
