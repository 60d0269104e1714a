/** @module One error hierarchy for client and server (spec §5). */
export * from './codes.ts'
export * from './tandem-error.ts'
export * from './to-tandem-error.ts'
