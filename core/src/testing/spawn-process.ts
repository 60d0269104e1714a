/** @module Run a server script as a child process (so a test can SIGKILL it), resolved once it prints its URL. */
import { type ChildProcess, spawn } from 'node:child_process'

export interface ServerProcess {
  url: string
  port: number
  proc: ChildProcess
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>
}

export interface SpawnOptions {
  cwd?: string
  env?: Record<string, string>
  /** Run on source (`--conditions=@tandem/source`); default true. */
  source?: boolean
}

/**
 * `node <args>`; resolves when the process prints `listening on http://127.0.0.1:<port>`.
 * @example
 * const server = await spawnProcess(['cli/src/bin.ts', 'serve', '--port', '0'])
 * await server.kill()
 */
export function spawnProcess(args: string[], options: SpawnOptions = {}): Promise<ServerProcess> {
  const flags = options.source === false ? [] : ['--conditions=@tandem/source']
  const proc = spawn(process.execPath, [...flags, ...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 20_000)
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:(\d+))/)
      if (!m) return
      clearTimeout(timer)
      resolve({
        url: m[1]!,
        port: Number(m[2]),
        proc,
        kill: async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
          await exited
        },
      })
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`))
    })
  })
}
