/** @module Runs the server's plugins: setup in order (undone on failure), the lowest syncId they retain, close in reverse. */
import { Hono } from 'hono'
import type { LogEntry } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import type { Hub } from './sync/hub.ts'
import { mountRoute } from './http/mount-route.ts'
import type { MetricsRegistry } from './metrics.ts'
import type { PluginEnv, PluginLogger, ServerPlugin } from './plugin.ts'
import type { Store } from './store.ts'

export interface PluginHost {
  /** Each plugin's route table, in setup order, to mount under `/v1`. */
  readonly routes: readonly Hono<PluginEnv>[]
  /** The lowest syncId any plugin retains, or undefined when none does. Throws when a plugin's answer is unusable. */
  lowestRetained(): Promise<number | undefined>
  /** Close the plugins, newest first; each one's `onCommit` listeners stop before its `close`. */
  close(): Promise<void>
}

interface Started {
  plugin: ServerPlugin
  routes: Hono<PluginEnv>
  logger: PluginLogger
  listeners: Set<() => void>
}

export function pluginLogger(name: string): PluginLogger {
  const tag = `[tandem:${name}]`
  return {
    info: (message, ...details) => console.info(`${tag} ${message}`, ...details),
    warn: (message, ...details) => console.warn(`${tag} ${message}`, ...details),
    error: (message, ...details) => console.error(`${tag} ${message}`, ...details),
  }
}

async function closeAll(started: Started[]): Promise<void> {
  for (const s of started.splice(0).reverse()) {
    for (const stop of s.listeners) stop()
    try {
      await s.plugin.close?.()
    } catch (error) {
      s.logger.error('close failed:', error)
    }
  }
}

/**
 * Set up `plugins` in array order. When one throws, the ones already set up
 * are closed (newest first) and the error is rethrown as is.
 */
export async function setUpPlugins(
  plugins: readonly ServerPlugin[],
  deps: { schema: Schema; store: Store; hub: Hub; metrics: MetricsRegistry },
): Promise<PluginHost> {
  const names = plugins.map((p) => p.name)
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate !== undefined) throw new TypeError(`Two plugins are named "${duplicate}": plugin names must be unique`)
  const started: Started[] = []
  for (const plugin of plugins) {
    const s: Started = { plugin, routes: new Hono<PluginEnv>(), logger: pluginLogger(plugin.name), listeners: new Set() }
    const onCommit = (listener: (entries: LogEntry[]) => void | Promise<void>) => {
      const failed = (error: unknown) => s.logger.error('onCommit listener failed:', error)
      const stop = deps.hub.listen((entries) => {
        try {
          const done = listener(entries)
          if (done instanceof Promise) done.catch(failed)
        } catch (error) {
          failed(error)
        }
      })
      const unsubscribe = () => {
        stop()
        s.listeners.delete(unsubscribe)
      }
      s.listeners.add(unsubscribe)
      return unsubscribe
    }
    try {
      await plugin.setup({
        schema: deps.schema,
        store: deps.store,
        routes: s.routes,
        handle(route, handler) {
          if (!plugin.api?.routes.includes(route)) throw new TypeError(`Plugin "${plugin.name}" serves ${route.operationId} without declaring it in api.routes`)
          mountRoute(s.routes, route, handler, { prefix: '/v1' })
        },
        metrics: deps.metrics,
        readLog: (after, limit) => deps.store.readLog(after, limit),
        onCommit,
        logger: s.logger,
      })
    } catch (error) {
      s.logger.error('setup failed:', error)
      for (const stop of s.listeners) stop()
      await closeAll(started)
      throw error
    }
    started.push(s)
  }
  return {
    routes: started.map((s) => s.routes),
    async lowestRetained() {
      const answers = await Promise.all(started.map(async (s) => ({ name: s.plugin.name, retained: await s.plugin.retainLog?.() })))
      let lowest: number | undefined
      for (const { name, retained } of answers) {
        if (retained === undefined) continue
        if (!Number.isSafeInteger(retained) || retained < 0) throw new TypeError(`Plugin "${name}" retainLog() returned ${String(retained)}, not a syncId`)
        lowest = lowest === undefined ? retained : Math.min(lowest, retained)
      }
      return lowest
    },
    close: () => closeAll(started),
  }
}
