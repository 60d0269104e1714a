/**
 * @module Test helper: N server processes (cli/test/processes/cluster-node.ts) on one throwaway Postgres database,
 * each killable with SIGKILL, with what each prints kept. A small copy of what adapters-source/test/cluster.ts does for
 * `tandem serve` (that one cannot set the short liveness bounds these tests need, nor load the webhooks plugin's hooks).
 */
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { type ServerProcess, spawnProcess } from '@tandem/core/testing'
import postgres from 'postgres'
import { adminUrl } from './postgres-db.ts'

const quiet = { onnotice: () => {} }
const root = resolve(import.meta.dirname, '../..')
const script = resolve(import.meta.dirname, 'processes/cluster-node.ts')

export interface Node extends ServerProcess {
  /** Everything the process printed since it started listening. */
  readonly output: () => string
}

export interface Nodes extends AsyncDisposable {
  nodes: Node[]
  key: string
}

export async function startNodes(n: number, env: Record<string, string>): Promise<Nodes> {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, ...quiet })
  await admin.unsafe(`CREATE DATABASE "${name}"`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const key = 'sk_test_cluster_claims'
  const nodes: Node[] = []
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()))
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end({ timeout: 1 })
  }
  try {
    // One at a time: each migrates the schema on start.
    for (let i = 0; i < n; i++) {
      const proc = await spawnProcess([script], { cwd: root, env: { DATABASE_URL: url.toString(), SECRET_KEY: key, ...env } })
      let out = ''
      proc.proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
      nodes.push({ ...proc, output: () => out })
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { nodes, key, [Symbol.asyncDispose]: stop }
}
