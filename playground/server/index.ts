/**
 * @module The playground's server side, mounted by `tandem dev` on its own Hono app, outside `/v1`: the built page at
 * `/`, `POST /playground/session` (a session token for a person on the board; the secret key never reaches the
 * page), `POST|GET /playground/agents` (start and list demo agents), and a seeded board.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { TandemServer } from '@tandem/core/server'
import { TandemValidationError } from '@tandem/core'
import type { schema as demoSchema } from 'tandem/demo-schema'
import { z } from 'zod'
import { runAgent } from './agent.ts'
import { distDir } from './build.ts'
import { seedBoard } from './seed.ts'
import { serveDir } from './static.ts'

export { ensurePlaygroundBuild, buildIsFresh, distDir } from './build.ts'

export interface PlaygroundOptions {
  schema: typeof demoSchema
  secretKey: string
  /** The built page (default: playground/dist). */
  dir?: string
  /** How long an agent "thinks" per card, in ms (default 3000). */
  thinkMs?: number
  /** Replaces the thinking (tests decide when an agent is done with a card). */
  think?: (agent: string, card: string, signal: AbortSignal) => Promise<void>
  /** Put demo cards on an empty board (default true). */
  seed?: boolean
}

export interface Playground {
  /** Names of the agents still running. */
  readonly agents: string[]
  /** Start an agent; resolves when it has finished its pass. */
  startAgent(): { name: string; done: Promise<void> }
  /** Stop the agents (their claims are released) and wait for them. */
  close(): Promise<void>
}

const sessionBody = z.strictObject({ name: z.string().trim().min(1).max(60) })

function parseBody<T>(schema: z.ZodType<T>, text: string): T {
  let json: unknown
  try {
    json = text ? JSON.parse(text) : {}
  } catch {
    throw new TandemValidationError({ code: 'invalid_request', message: 'Body is not JSON' })
  }
  const result = schema.safeParse(json)
  if (!result.success) throw new TandemValidationError({ code: 'invalid_request', message: z.prettifyError(result.error) })
  return result.data
}

/** Mount the playground on a running server. Call it right after `createServer` resolves, before any request. */
export async function mountPlayground(server: TandemServer, options: PlaygroundOptions): Promise<Playground> {
  const { app } = server
  const auth = { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/json' }
  const running = new Map<string, Promise<void>>()
  const stop = new AbortController()
  let count = 0

  const startAgent = () => {
    const name = `Agent ${++count}`
    const done = runAgent({
      schema: options.schema,
      baseURL: server.url,
      secretKey: options.secretKey,
      name,
      think: (card) => (options.think ? options.think(name, card, stop.signal) : sleep(options.thinkMs ?? 3000, undefined, { signal: stop.signal })),
      signal: stop.signal,
    })
      .catch((error: unknown) => console.error(`[playground] ${name} stopped:`, error))
      .finally(() => running.delete(name))
    running.set(name, done)
    return { name, done }
  }

  app.post('/playground/session', async (c) => {
    const { name } = parseBody(sessionBody, await c.req.text())
    const userId = `playground:${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
    // Minted through the public API with the dev key, so the page gets exactly what an app's backend would give it.
    const res = await app.request('/v1/sessions', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ userId, groups: ['org:default'], participant: { kind: 'human', name }, ttl: '8h' }),
    })
    return c.json(await res.json(), res.status as 201)
  })
  app.get('/playground/agents', (c) => c.json({ agents: [...running.keys()] }))
  app.post('/playground/agents', (c) => c.json({ name: startAgent().name }, 201))
  app.get('/*', serveDir(options.dir ?? distDir))

  if (options.seed !== false) await seedBoard(app, auth)

  return {
    get agents() {
      return [...running.keys()]
    },
    startAgent,
    async close() {
      stop.abort()
      await Promise.all(running.values())
    },
  }
}
