/**
 * @module `@tandem/react`: React bindings over `@tandem/core`'s stores. `<TandemProvider>` hands a client down;
 * `useTandem`, `useClaim`, `useStatus`, `useReady`, `usePresence`, `usePresenceList` and `useIntent` read it. Typed by
 * the app's `Register` declaration.
 */
export { TandemProvider, type TandemProviderProps } from './provider.tsx'
export { useTandem, useClaim, useStatus, useReady, type UseTandemOptions, type UseClaimArgs, type UseClaimResult } from './hooks.ts'
export { usePresence, usePresenceList, useIntent, type PresenceTarget, type UsePresenceIntent } from './presence.ts'
export { TandemContext } from './context.ts'
