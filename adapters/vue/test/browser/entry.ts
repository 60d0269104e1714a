/** @module The page of the Vue component tests: mounts App.vue with a client made by the plugin. */
import { createApp } from 'vue'
import { injectTandem, tandemPlugin } from '@tandem/vue'
import { schema } from '../schema.ts'
import App from './App.vue'
import { focused, picked, presenceRenders, renders } from './renders.ts'

export { presenceRenders, renders }

export function pick(id: string): void {
  picked.value = id
}

export function focus(id: string | null): void {
  focused.value = id
}

let app: ReturnType<typeof createApp> | undefined

export function mount(baseURL: string, apiKey: string): void {
  app = createApp(App)
  app.use(tandemPlugin, { schema, baseURL, apiKey, participant: { kind: 'human', name: 'Ada' }, heartbeatMs: 500 })
  app.mount('#app')
}

/** Unmount the app; returns the client the plugin made (disposed by now). */
export function unmount() {
  const client = app!.runWithContext(injectTandem)
  app!.unmount()
  return client
}
