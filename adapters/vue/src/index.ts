/**
 * @module `@tandem/vue`: `app.use(tandemPlugin, { client })`, then `useTandem()`, `useTandem(selector)`,
 * `useClaim({ model, id, field? })` and `useStatus()` in any `setup()` or `<script setup>`.
 */
export { tandemPlugin, tandemKey, injectTandem, type TandemPluginOptions } from './plugin.ts'
export { useTandem, useStatus, useClaim, type UseClaimResult } from './composables.ts'
