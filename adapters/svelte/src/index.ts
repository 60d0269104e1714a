/**
 * @module `@tandem/svelte`: `setTandem(client)` in the root component, then the stores `tandem(selector)`,
 * `claim({ model, id, field? })`, `status()`, `presence(target?)` and `presenceList()`, read with `$store`; `intent(value)`
 * announces what the component works on.
 */
export { setTandem, getTandem } from './context.ts'
export { tandem, claim, status, type WithClient, type TandemReadable } from './stores.ts'
export { presence, presenceList, intent, type PresenceTarget, type UsePresenceIntent } from './presence.ts'
