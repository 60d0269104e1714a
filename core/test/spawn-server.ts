/** Start `tandem serve` as a child process (real process, so it can be SIGKILLed). */
import { resolve } from 'node:path'
import { type ServerProcess, spawnProcess } from '@tandem/core/testing'

const root = resolve(import.meta.dirname, '../..')

export type { ServerProcess }

export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnProcess([resolve(root, 'cli/src/bin.ts'), 'serve', ...args], { cwd: root, env })
}
