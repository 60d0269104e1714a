/**
 * @module Test helper: a cluster of N `tandem serve` processes on one
 * throwaway Postgres database, each killable with SIGKILL and restartable on
 * its own port. Shared by the cluster tests (and anyone who needs N nodes).
 */
import { resolve } from 'node:path'
import { createTestDatabase, type TestDatabase } from './postgres-db.ts'
import { type ServerProcess, spawnServer } from './spawn-server.ts'

export const clusterKey = 'sk_test_cluster'
export const tasksSchemaFile = resolve(import.meta.dirname, 'fixtures/tasks-schema.ts')

export interface ClusterNode {
  /** `http://127.0.0.1:<port>`; the same after `restart()`. */
  readonly url: string
  readonly port: number
  readonly alive: boolean
  /** SIGKILL the process and wait for it to exit. */
  kill(): Promise<void>
  /** Start it again on the same port (after `kill()`). */
  restart(): Promise<void>
}

export interface Cluster extends AsyncDisposable {
  readonly database: TestDatabase
  readonly nodes: ClusterNode[]
  readonly urls: string[]
  readonly key: string
  /** Kill every node and drop the database. */
  stop(): Promise<void>
}

export interface ClusterOptions {
  /** Schema file for `--schema` (default: the tasks fixture). */
  schema?: string
  /** An existing database to use (default: a new throwaway one, dropped by `stop()`). */
  database?: TestDatabase
  env?: Record<string, string>
}

/** Start `n` nodes, one at a time (they migrate under the commit lock anyway; one at a time keeps startup output readable). */
export async function startCluster(n: number, options: ClusterOptions = {}): Promise<Cluster> {
  const database = options.database ?? (await createTestDatabase())
  const env = { TANDEM_SECRET_KEYS: clusterKey, ...options.env }
  const args = (port: number) => ['--database-url', database.url, '--schema', options.schema ?? tasksSchemaFile, '--port', String(port)]
  const nodes: ClusterNode[] = []
  try {
    for (let i = 0; i < n; i++) nodes.push(await startNode(args, env))
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()))
    if (!options.database) await database.drop()
    throw error
  }
  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(nodes.map((node) => node.kill()))
      if (!options.database) await database.drop()
    })())
  return { database, nodes, urls: nodes.map((node) => node.url), key: clusterKey, stop, [Symbol.asyncDispose]: stop }
}

async function startNode(args: (port: number) => string[], env: Record<string, string>): Promise<ClusterNode> {
  let proc: ServerProcess = await spawnServer(args(0), env)
  let alive = true
  const port = proc.port
  return {
    url: proc.url,
    port,
    get alive() {
      return alive
    },
    async kill() {
      alive = false
      await proc.kill()
    },
    async restart() {
      if (alive) throw new Error(`node on port ${port} is still running`)
      proc = await spawnServer(args(port), env)
      alive = true
    },
  }
}
