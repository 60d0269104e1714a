/** @module Test helper: `tandem serve` (or another server script) as a child process, so it can be SIGKILLed. */
import { resolve } from 'node:path'
import { type ServerProcess, spawnProcess } from '@tandem/core/testing'

const root = resolve(import.meta.dirname, '../..')

export type { ServerProcess }

/** `tandem serve …args`. */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnNode([resolve(root, 'cli/src/bin.ts'), 'serve', ...args], env)
}

/** Run a script that prints `listening on http://127.0.0.1:<port>` once it serves. */
export function spawnNode(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnProcess(args, { cwd: root, env })
}
