/** @module Lets tsc import the test components; the test's plugin compiles them for the browser. */
declare module '*.svelte' {
  import type { Component } from 'svelte'
  const component: Component<any>
  export default component
}
