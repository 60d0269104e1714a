/**
 * @module `@tandem/svelte`: `setTandem(client)` in the root component, then the stores `tandem(selector)`,
 * `claim({ model, id, field? })` and `status()`, read with `$store`.
 */
export { setTandem, getTandem } from './context.ts'
export { tandem, claim, status, type WithClient, type TandemReadable } from './stores.ts'
