/** @module Test helper: a long-running `python3` child whose stdout lines a test awaits (no sleeps) and whose stdin it writes. */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { defineSchema, model, z } from '@tandem/core/schema'
import { repoRoot } from './markdown.ts'

/** The examples folder: on `PYTHONPATH`, so scripts and samples can `import tandem_client`. */
export const examplesDir = join(repoRoot, 'examples', 'python')

/** The schema of `tandem dev` (cli/src/demo-schema.ts), which the Python examples and samples are written for. */
export const devSchema = defineSchema({
  tasks: model({
    title: z.string().min(1).max(500),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    notes: z.string().max(10_000).optional(),
  }),
})

export interface PythonProcess {
  proc: ChildProcess
  /** Every stdout line so far. */
  lines: string[]
  /** The first line (from the start) matching `pattern`; rejects after `timeoutMs` or if the process exits first. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Write one line to stdin. */
  send(text: string): void
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
  /** What it wrote to stderr, for failure messages. */
  stderr(): string
  /** SIGKILL (if still running) and wait for the exit. */
  kill(): Promise<void>
}

export function startPython(args: string[], env: Record<string, string> = {}): PythonProcess {
  const proc = spawn('python3', args, {
    cwd: repoRoot,
    env: { ...process.env, PYTHONPATH: examplesDir, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const waiters = new Set<() => void>()
  let partial = ''
  let err = ''
  let done = false
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop()!
    lines.push(...parts)
    for (const w of waiters) w()
  })
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exited = new Promise<number | null>((resolve) =>
    proc.once('close', (code) => {
      done = true
      for (const w of waiters) w()
      resolve(code)
    }),
  )
  const describe = () => `python3 ${args.join(' ')}\n--- stdout ---\n${lines.join('\n')}\n--- stderr ---\n${err}`

  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    send: (text) => void proc.stdin!.write(`${text}\n`),
    line(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => pattern.test(l))
          if (found !== undefined) return finish(() => resolve(found))
          if (done) finish(() => reject(new Error(`exited before printing ${pattern}:\n${describe()}`)))
        }
        const finish = (settle: () => void) => {
          clearTimeout(timer)
          waiters.delete(check)
          settle()
        }
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${describe()}`))), timeoutMs)
        waiters.add(check)
        check()
      })
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    },
  }
}
