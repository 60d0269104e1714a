/**
 * @module The playground for `tandem dev`: built when stale, then mounted at `/`. It lives in the repository's private
 * `@tandem/playground` package, so an installed `tandem` (without it) runs the dev server without a playground.
 */
import type { TandemServer } from '@tandem/core/server'
import type { Schema } from '@tandem/core/schema'

type PlaygroundModule = typeof import('@tandem/playground/server')

/** Build the page if needed; resolves to a `mount` for the started server (which resolves to its `close`), or null without a playground. */
export async function preparePlayground(): Promise<((server: TandemServer, schema: Schema, secretKey: string) => Promise<() => Promise<void>>) | null> {
  let mod: PlaygroundModule
  try {
    mod = await import('@tandem/playground/server')
  } catch {
    return null
  }
  await mod.ensurePlaygroundBuild({ log: (line) => console.log(line) })
  return async (server, schema, secretKey) => {
    const playground = await mod.mountPlayground(server, { schema: schema as Parameters<PlaygroundModule['mountPlayground']>[1]['schema'], secretKey })
    return () => playground.close()
  }
}
