/** @module The presence hooks: core's `tandem.presence` atoms tied to React's lifecycle. */
import { useEffect, useMemo, useSyncExternalStore } from 'react'
import type { PresenceEntry, PresenceIntent, RegisteredSchema } from '@tandem/core'
import { useClient } from './context.ts'

type Models = keyof RegisteredSchema['models'] & string

/** A row of the registered schema: what `usePresence` narrows to. */
export interface PresenceTarget {
  model: Models
  id: string
}

/** An intent on a row of the registered schema (core's `PresenceIntent`, with the model checked). */
export type UsePresenceIntent = PresenceIntent & { model: Models }

const useAtom = <T>(store: { get(): T; listen(listener: () => void): () => void }): T => useSyncExternalStore(store.listen, store.get, store.get)

/**
 * The other connections (never this client's own), live; with a `target`, only those whose intent is on that row.
 * A change of presence on another row does not re-render the component.
 * @example
 * const here = usePresence({ model: 'tasks', id })
 * here.map((p) => `${p.participant.name} is ${p.intent?.action ?? 'looking'}`)
 */
export function usePresence(target?: PresenceTarget): readonly PresenceEntry[] {
  const client = useClient()
  const model = target?.model
  const id = target?.id
  const store = useMemo(() => {
    const row = model !== undefined && id !== undefined ? { model, id } : undefined
    return client.presence.others(row)
  }, [client, model, id])
  return useAtom(store)
}

/** Every connection this client can see, its own included (`self: true`), in a stable order. */
export function usePresenceList(): readonly PresenceEntry[] {
  return useAtom(useClient().presence.list)
}

/**
 * Announce `intent` while the component is mounted (and while it is not `null`); cleared on unmount or when it turns
 * `null`. Compared by value, so an inline object does not re-send it on every render.
 * @example
 * useIntent(editing ? { model: 'tasks', id, action: 'editing' } : null)
 */
export function useIntent(intent: UsePresenceIntent | null): void {
  const client = useClient()
  // The effect is keyed by value, not by the object: a new object with the same fields is the same intent.
  const key = intent ? JSON.stringify([intent.model, intent.id, intent.field ?? null, intent.action ?? null]) : null
  useEffect(() => {
    if (!intent) return
    client.presence.setIntent(intent)
    // Cleanups run before the next setups of a commit, so one card clearing and another setting ends with the other's.
    return () => client.presence.clearIntent()
  }, [client, key])
}
