/**
 * @module Start a server in a child process (not a worker thread): used
 * where the server's own resident memory is the measurement, since worker
 * threads share the process's RSS with the clients.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { withDeadline } from '../lib/stats.ts'
import type { ServerRequest } from './types.ts'

export interface ProcessMemory {
  rss: number
  heapUsed: number
  /** Heap reserved by V8 (used or not). */
  heapTotal: number
  external: number
  arrayBuffers: number
  /** False when the child could not run a full GC first. */
  gc: boolean
}

export interface ProcessServerHandle {
  url: string
  secretKey: string
  pid: number
  /** The child's `process.memoryUsage()`, after a full GC when `gc` is true. */
  memory(gc?: boolean): Promise<ProcessMemory>
  /** Write a V8 heap snapshot of the child (after a full GC) to `path`; resolves with the file written. */
  heapSnapshot(path: string): Promise<string>
  close(): Promise<void>
}

function nextMessage<T>(child: ChildProcess, type: string, what: string, ms = 30_000): Promise<T> {
  return withDeadline(
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string; error?: string }) => {
        if (m.type === 'failed') return (cleanup(), reject(new Error(`bench: server process failed: ${m.error}`)))
        if (m.type !== type) return
        cleanup()
        resolve(m as T)
      }
      const onExit = (code: number | null) => (cleanup(), reject(new Error(`bench: server process exited (${code}) while ${what}`)))
      const cleanup = () => {
        child.off('message', onMessage)
        child.off('exit', onExit)
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
    }),
    ms,
    what,
  )
}

/** `nodeFlags`: extra V8/Node flags for the child (e.g. `--no-flush-bytecode`). */
export async function spawnServerProcess(request: ServerRequest, nodeFlags: readonly string[] = []): Promise<ProcessServerHandle> {
  const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [], {
    execArgv: [...process.execArgv, '--expose-gc', ...nodeFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    child.send({ type: 'start', request })
    const ready = await nextMessage<{ url: string; secretKey?: string }>(child, 'ready', `starting a ${request.kind} server process`)
    let chain: Promise<unknown> = Promise.resolve()
    let closing: Promise<void> | undefined
    // One request at a time, so answers cannot cross.
    const ask = <T>(message: { type: string }, what: string, ms?: number): Promise<T> => {
      const run = chain.then(() => {
        const answer = nextMessage<T>(child, message.type, what, ms)
        child.send(message)
        return answer
      })
      chain = run.catch(() => undefined)
      return run
    }
    return {
      url: ready.url,
      secretKey: ready.secretKey ?? '',
      pid: child.pid!,
      memory: (gc = true) => ask<ProcessMemory>({ type: 'memory', gc } as { type: string }, 'reading server memory'),
      heapSnapshot: async (path) => (await ask<{ path: string }>({ type: 'heap-snapshot', path } as { type: string }, 'writing a heap snapshot', 120_000)).path,
      close: () =>
        (closing ??= (async () => {
          if (child.exitCode !== null || !child.connected) return
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
          child.send({ type: 'close' })
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        })()),
    }
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
}
