/** @module The page of the Svelte component tests: mounts App.svelte, whose setTandem makes the client. */
import { mount as mountComponent, unmount as unmountComponent } from 'svelte'
import App from './App.svelte'
import { focus, picked } from './picked.svelte.ts'
import { made, presenceRenders, renders } from './renders.ts'

export { made, presenceRenders, renders }

export function pick(id: string): void {
  picked.id = id
}

export function focusRow(id: string | null): void {
  focus.id = id
}

/** Mount (`id`) or unmount (`null`) the component that announces it is viewing a row with `intent()`. */
export function view(id: string | null): void {
  focus.viewing = id
}

let app: ReturnType<typeof mountComponent> | undefined

export function mount(baseURL: string, apiKey: string): void {
  app = mountComponent(App, { target: document.querySelector('#app')!, props: { baseURL, apiKey } })
}

export function unmount(): Promise<void> {
  return unmountComponent(app!)
}
