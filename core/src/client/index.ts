/** @module The client entry (browser-safe). */
export { Tandem } from './tandem.ts'
export { shallowEqual } from './reactive.ts'
export type * from './types.ts'
