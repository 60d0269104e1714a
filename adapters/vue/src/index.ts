/**
 * @module `@tandem/vue`: `app.use(tandemPlugin, { client })`, then `useTandem()`, `useTandem(selector)`,
 * `useClaim({ model, id, field? })`, `useStatus()`, `usePresence(target?)`, `usePresenceList()` and `useIntent(intent)` in any `setup()` or `<script setup>`.
 */
export { tandemPlugin, tandemKey, injectTandem, type TandemPluginOptions } from './plugin.ts'
export { useTandem, useStatus, useClaim, type UseClaimResult } from './composables.ts'
export { usePresence, usePresenceList, useIntent, type PresenceTarget, type UsePresenceIntent } from './presence.ts'
