/** @module The React context that carries the Tandem client from `<TandemProvider>` to the hooks. */
import { createContext, useContext } from 'react'
import { TandemError, type RegisteredClient } from '@tandem/core'

export const TandemContext = createContext<RegisteredClient | null>(null)
TandemContext.displayName = 'TandemContext'

/** The provider's client; throws a `TandemError` (`invalid_request`) outside a `<TandemProvider>`. */
export function useClient(): RegisteredClient {
  const client = useContext(TandemContext)
  if (!client) throw new TandemError({ code: 'invalid_request', message: 'Tandem hooks must be used inside a <TandemProvider>' })
  return client
}
