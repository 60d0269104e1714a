/**
 * @module A tiny rolldown plugin for the component tests: `.svelte` files through `svelte/compiler`'s
 * `compile`, `.svelte.ts` / `.svelte.js` modules (runes) through `compileModule` after TypeScript's
 * type stripping.
 */
import type { Plugin } from 'rolldown'
import { compile, compileModule } from 'svelte/compiler'
import ts from 'typescript'

export function svelte(): Plugin {
  return {
    name: 'tandem-test-svelte',
    transform(code, id) {
      const file = id.split('?')[0]!
      if (file.endsWith('.svelte')) {
        const { js } = compile(code, { filename: file, generate: 'client', dev: true, css: 'injected' })
        return { code: js.code, map: js.map, moduleType: 'js' }
      }
      if (/\.svelte\.[jt]s$/.test(file)) {
        const plain = file.endsWith('.ts')
          ? ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
          : code
        const { js } = compileModule(plain, { filename: file, generate: 'client', dev: true })
        return { code: js.code, map: js.map, moduleType: 'js' }
      }
      return null
    },
  }
}
