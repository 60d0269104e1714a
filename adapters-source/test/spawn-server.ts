/**
 * @module Test helper: start `tandem serve` (or another server script) as a
 * child process, so it can be SIGKILLed. Copied from core/test/spawn-server.ts
 * (tests do not import across packages).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

export interface ServerProcess {
  url: string
  port: number
  proc: ChildProcess
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>
}

/** `tandem serve …args`. */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnNode([resolve(root, 'cli/src/bin.ts'), 'serve', ...args], env)
}

/** Run a script that prints `listening on http://127.0.0.1:<port>` once it serves. */
export function spawnNode(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--conditions=@tandem/source', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return new Promise((resolvePromise, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 20_000)
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:(\d+))/)
      if (m) {
        clearTimeout(timer)
        resolvePromise({
          url: m[1]!,
          port: Number(m[2]),
          proc,
          kill: async () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
            await exited
          },
        })
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`))
    })
  })
}
