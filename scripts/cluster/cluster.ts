/**
 * @module `npm run cluster`: 3 `tandem serve` nodes on one Postgres database and a round-robin TCP proxy in front,
 * on localhost, to try several nodes (kill one, watch clients fail over). Ctrl-C stops everything.
 *
 * Environment: `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/tandem_cluster`, created when missing),
 * `TANDEM_PORT` (the proxy's port, default 7878), `TANDEM_SECRET_KEYS` (default: one generated key), `TANDEM_CLUSTER_NODES`
 * (default 3). Extra arguments go to every `tandem serve` (e.g. `-- --schema ./schema.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { generateSecretKey } from '@tandem/core/server'
import postgres from 'postgres'
import { startRoundRobinProxy } from './round-robin-proxy.ts'

const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/tandem_cluster'
const bin = resolve(import.meta.dirname, '../../cli/src/bin.ts')

/** Create the database named in `url` unless it exists (through the server's `postgres` database). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} })
  try {
    const [found] = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`
    if (!found) await sql.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
  } finally {
    await sql.end({ timeout: 1 })
  }
}

interface Node {
  proc: ChildProcess
  url: string
  port: number
}

/** One `tandem serve` child on a free port; resolves once it prints its URL. */
function startNode(n: number, args: string[], env: NodeJS.ProcessEnv): Promise<Node> {
  const proc = spawn(process.execPath, [...process.execArgv, bin, 'serve', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolvePromise, reject) => {
    let out = ''
    proc.stderr!.on('data', (d: Buffer) => process.stderr.write(`[node ${n}] ${d}`))
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:(\d+))/)
      if (m) resolvePromise({ proc, url: m[1]!, port: Number(m[2]) })
    })
    proc.once('exit', (code, signal) => {
      reject(new Error(`node ${n} exited (${signal ?? code}) before serving:\n${out}`))
      console.log(`node ${n} exited (${signal ?? code})`)
    })
  })
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'] ?? defaultDatabaseUrl
  const count = Number(process.env['TANDEM_CLUSTER_NODES'] ?? 3)
  const keys = process.env['TANDEM_SECRET_KEYS'] ?? generateSecretKey()
  const proxyPort = Number(process.env['TANDEM_PORT'] ?? 7878)
  await ensureDatabase(databaseUrl)
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_SECRET_KEYS: keys }
  delete env['TANDEM_PORT']
  const args = ['--database-url', databaseUrl, ...process.argv.slice(2)]
  const nodes: Node[] = []
  const stopNodes = () => nodes.forEach((node) => node.proc.kill('SIGTERM'))
  try {
    // One at a time: the first migrates the database, the others find it ready.
    for (let n = 1; n <= count; n++) nodes.push(await startNode(n, args, env))
  } catch (error) {
    stopNodes()
    throw error
  }
  const proxy = await startRoundRobinProxy(
    nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { port: proxyPort },
  )
  nodes.forEach((node, i) => console.log(`node ${i + 1}: ${node.url} (pid ${node.proc.pid})`))
  console.log(`secret key: ${keys.split(',')[0]}`)
  console.log(`database: ${databaseUrl}`)
  console.log(`Try: Tandem({ schema, baseURL: [${nodes.map((node) => `'${node.url}'`).join(', ')}], apiKey }) or the proxy; kill -9 a pid to see failover.`)
  console.log(`cluster proxy listening on http://127.0.0.1:${proxy.port} (round-robin over ${count} nodes; Ctrl-C stops all)`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    stopNodes()
    await Promise.all(
      nodes.map((node) => (node.proc.exitCode === null && node.proc.signalCode === null ? new Promise((r) => node.proc.once('exit', r)) : null)),
    )
    await proxy.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
