/** @module The client entry (browser-safe). */
export { Tandem } from './tandem.ts'
export type * from './types.ts'
