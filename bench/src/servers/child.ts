/**
 * @module Child-process entry: one server alone in its own process, so that
 * the process's resident memory (RSS) is the server's and nothing else's.
 * Answers `memory` (after a full GC when `gc` is set; started with
 * --expose-gc), `heap-snapshot` (writes a V8 heap snapshot, for leak hunts)
 * and `close` over the IPC channel. Bench-only: nothing here is a route of
 * the server.
 */
import { writeHeapSnapshot } from 'node:v8'
import { startServer } from './start.ts'
import type { ServerRequest } from './types.ts'

type Message = { type: 'start'; request: ServerRequest } | { type: 'memory'; gc: boolean } | { type: 'heap-snapshot'; path: string } | { type: 'close' }

const send = (message: unknown) => process.send!(message)
const collect = (global as { gc?: () => void }).gc
let closer: (() => Promise<void>) | undefined

/**
 * Collect, then give FinalizationRegistry callbacks (e.g. undici's, holding
 * each Request's AbortSignal) a turn to run and collect what they let go.
 */
async function fullGc(): Promise<void> {
  if (!collect) return
  for (let i = 0; i < 3; i++) {
    collect()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  collect()
}

process.on('message', (m: Message) => {
  if (m.type === 'start') {
    startServer(m.request).then(
      (server) => {
        closer = () => server.close()
        send({ type: 'ready', url: server.url, secretKey: server.secretKey })
      },
      (error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
  } else if (m.type === 'memory') {
    void (m.gc ? fullGc() : Promise.resolve()).then(() => {
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage()
      send({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers, gc: Boolean(collect) })
    })
  } else if (m.type === 'heap-snapshot') {
    void fullGc().then(() => send({ type: 'heap-snapshot', path: writeHeapSnapshot(m.path) }))
  } else if (m.type === 'close') {
    const done = () => {
      send({ type: 'closed' })
      process.disconnect()
    }
    ;(closer ? closer() : Promise.resolve()).then(done, done)
  }
})
process.on('disconnect', () => process.exit(0))
