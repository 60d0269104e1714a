/**
 * @module Child-process entry: one server alone in its own process, so that
 * the process's resident memory (RSS) is the server's and nothing else's.
 * Answers `memory` (after a full GC when `gc` is set; started with
 * --expose-gc) and `close` over the IPC channel.
 */
import { startServer } from './start.ts'
import type { ServerRequest } from './types.ts'

type Message = { type: 'start'; request: ServerRequest } | { type: 'memory'; gc: boolean } | { type: 'close' }

const send = (message: unknown) => process.send!(message)
const collect = (global as { gc?: () => void }).gc
let closer: (() => Promise<void>) | undefined

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
    if (m.gc && collect) for (let i = 0; i < 3; i++) collect()
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
    send({ type: 'memory', rss, heapUsed, external, arrayBuffers, gc: Boolean(collect) })
  } else if (m.type === 'close') {
    const done = () => {
      send({ type: 'closed' })
      process.disconnect()
    }
    ;(closer ? closer() : Promise.resolve()).then(done, done)
  }
})
process.on('disconnect', () => process.exit(0))
