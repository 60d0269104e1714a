/** @module `<TandemProvider>`: hands a client to the hooks, or makes one (and starts and disposes it) from options. */
import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import { Tandem, type Register, type RegisteredClient, type RegisteredSchema, type TandemCore, type TandemOptions } from '@tandem/core'
import { TandemContext } from './context.ts'
import { useReady } from './hooks.ts'

interface CommonProps {
  children?: ReactNode
  /**
   * Render `children` only once `ready()` has resolved, in the provider's own `<Suspense>` boundary (inside it, so the
   * provider itself mounts and can connect the client it made).
   */
  suspense?: boolean
  /** With `suspense`: what shows until then (default nothing). */
  fallback?: ReactNode
}

/** A client of the registered schema; any client while none is registered. */
type ProvidedClient = Register extends { schema: unknown } | { client: unknown } ? RegisteredClient : TandemCore<any>

/** Either a client you made, or the options to make one (`schema`, `baseURL`, `getToken`, …). */
export type TandemProviderProps = CommonProps & ({ client: ProvidedClient } | ({ client?: undefined } & Omit<TandemOptions<RegisteredSchema>, 'autoConnect'>))

/**
 * Makes a client available to `useTandem`, `useClaim`, `useStatus` and `useReady` below it. Given options, it makes the
 * client once (unconnected while rendering, so server rendering opens no socket), connects it after mounting and
 * disposes it on unmount. A given client is started if it was made with `autoConnect: false`, and never disposed.
 * @example
 * <TandemProvider schema={schema} baseURL="https://sync.example.com" getToken={getToken} suspense fallback={<Spinner />}>
 *   <Board />
 * </TandemProvider>
 */
export function TandemProvider(props: TandemProviderProps): ReactNode {
  const { children, suspense, fallback, client: given, ...options } = props
  // The initializer may run twice under StrictMode: the copy React throws away was never started, so it holds nothing.
  const [owned] = useState(() => (given ? null : (Tandem({ ...options, autoConnect: false } as TandemOptions<RegisteredSchema>) as RegisteredClient)))
  const client = (given as RegisteredClient | undefined) ?? owned!
  const disposal = useRef<{ cancelled: boolean } | null>(null)
  useEffect(() => {
    if (disposal.current) disposal.current.cancelled = true
    client.start()
    if (client !== owned) return
    return () => {
      // StrictMode unmounts and remounts at once: dispose only if no remount cancelled it by the next task.
      const pending = (disposal.current = { cancelled: false })
      setTimeout(() => pending.cancelled || void client.dispose(), 0)
    }
  }, [client, owned])

  return (
    <TandemContext value={client}>
      {suspense ? (
        <Suspense fallback={fallback ?? null}>
          <Ready>{children}</Ready>
        </Suspense>
      ) : (
        children
      )}
    </TandemContext>
  )
}

function Ready({ children }: { children?: ReactNode }): ReactNode {
  useReady()
  return children
}
