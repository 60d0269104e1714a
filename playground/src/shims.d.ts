/** @module Types for the single-file components, for `tsc` (the compilers check the files themselves). */
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<{ person: string }>
  export default component
}
declare module '*.svelte' {
  import type { Component } from 'svelte'
  const component: Component<{ person: string }>
  export default component
}
