/** @module `tandemPlugin`: puts one Tandem client into a Vue app, for the composables to inject. */
import { Tandem, TandemValidationError, type RegisteredClient, type RegisteredSchema, type TandemOptions } from '@tandem/core'
import { inject, type App, type InjectionKey, type Plugin } from 'vue'

/** The injection key the plugin provides the client under (provide your own client under it to override in a subtree). */
export const tandemKey: InjectionKey<RegisteredClient> = Symbol('tandem')

/**
 * Either a client you made (you dispose it), or the options to make one: the plugin creates it and
 * disposes it when the app unmounts.
 */
export type TandemPluginOptions = { client: RegisteredClient } | TandemOptions<RegisteredSchema>

/**
 * Install with `app.use(tandemPlugin, { client })` or `app.use(tandemPlugin, { schema, baseURL, getToken })`.
 * @example
 * createApp(App).use(tandemPlugin, { schema, baseURL: '/api', getToken }).mount('#app')
 */
export const tandemPlugin: Plugin<[TandemPluginOptions]> = {
  install(app: App, options: TandemPluginOptions) {
    if ('client' in options) return void app.provide(tandemKey, options.client)
    const client = Tandem(options) as unknown as RegisteredClient
    app.provide(tandemKey, client)
    app.onUnmount(() => void client.dispose())
  },
}

/** The client from the nearest `tandemPlugin` (or `provide(tandemKey, …)`); throws outside one. */
export function injectTandem(): RegisteredClient {
  const client = inject(tandemKey, null)
  if (!client) {
    throw new TandemValidationError({
      code: 'invalid_request',
      message: 'useTandem: no Tandem client here. Install it with app.use(tandemPlugin, { client }) first.',
    })
  }
  return client
}
