/** @module Lets tsc import the test components; unplugin-vue compiles them for the browser. */
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
