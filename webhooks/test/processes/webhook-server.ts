/** A server with the webhooks plugin on a SQLite file, run as a child process so a test can SIGKILL it. Env: DB, PORT. */
import { createServer, sqliteStore } from '@tandem/core/server'
import { webhooks } from '@tandem/webhooks'
import { schema } from '../harness-schema.ts'

const server = await createServer({
  schema,
  store: sqliteStore({ path: process.env['DB']! }),
  port: Number(process.env['PORT'] ?? 0),
  secretKeys: ['sk_test_webhooks'],
  plugins: [webhooks({ allowPrivateUrls: true, retrySchedule: [0, 20, 50, 50, 50, 50, 50, 50], timeoutMs: 1_000, leaseMs: 2_000, maxBatchEvents: 20 })],
})
console.log(`listening on ${server.url}`)
