/** @module `setTandem` / `getTandem`: one Tandem client per component tree, through Svelte's context. */
import { Tandem, TandemValidationError, type RegisteredClient, type RegisteredSchema, type TandemOptions } from '@tandem/core'
import { getContext, onDestroy, setContext } from 'svelte'

const key = Symbol('tandem')

/**
 * Give this component and its children a client: one you made (you dispose it), or the options to make
 * one (disposed when this component is destroyed). Call it during component initialisation, in the root
 * component. Returns the client.
 * @example
 * const tandem = setTandem({ schema, baseURL: '/api', getToken })
 */
export function setTandem(clientOrOptions: RegisteredClient | TandemOptions<RegisteredSchema>): RegisteredClient {
  const made = !('dispose' in clientOrOptions)
  const client = made ? (Tandem(clientOrOptions as TandemOptions<RegisteredSchema>) as unknown as RegisteredClient) : (clientOrOptions as RegisteredClient)
  if (made) onDestroy(() => void client.dispose())
  return setContext(key, client)
}

/** The client from the nearest `setTandem`; call it during component initialisation. Throws when there is none. */
export function getTandem(): RegisteredClient {
  let client: RegisteredClient | undefined
  try {
    client = getContext<RegisteredClient | undefined>(key)
  } catch {
    // Not during a component's initialisation: Svelte has no context to read.
  }
  if (!client)
    throw new TandemValidationError({
      code: 'invalid_request',
      message: 'No Tandem client here: call setTandem(client) in a parent component, and read it while a component initialises (or pass { client }).',
    })
  return client
}
