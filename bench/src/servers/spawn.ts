/** @module Start a server in a worker thread; `close()` stops it and ends the thread. */
import type { EventLoopUtilization } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import type { ServerRequest } from './types.ts'

export interface ServerHandle {
  url: string
  secretKey: string
  /** The server thread's event-loop utilization (how busy it is), like `performance.eventLoopUtilization()`. */
  eventLoopUtilization(previous?: EventLoopUtilization): EventLoopUtilization
  close(): Promise<void>
}

type Message = { type: 'ready'; url: string; secretKey?: string } | { type: 'failed'; error: string } | { type: 'closed'; error?: string }

export function spawnServer(request: ServerRequest): Promise<ServerHandle> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: request })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (m: Message) => {
      if (m.type !== 'ready') {
        void worker.terminate()
        reject(new Error(`bench: ${request.kind} server failed to start: ${'error' in m ? m.error : m.type}`))
        return
      }
      let closing: Promise<void> | undefined
      resolve({
        url: m.url,
        secretKey: m.secretKey ?? '',
        eventLoopUtilization: (previous) => (previous ? worker.performance.eventLoopUtilization(previous) : worker.performance.eventLoopUtilization()),
        close: () =>
          (closing ??= new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate().then(() => done()), 5000)
            worker.once('message', () => {
              clearTimeout(timer)
              void worker.terminate().then(() => done())
            })
            worker.postMessage({ type: 'close' })
          })),
      })
    })
  })
}
