/**
 * @module Child process for the cluster claims/webhooks kill tests: a Tandem server on Postgres (env DATABASE_URL,
 * SECRET_KEY) with short node-liveness and webhook-lease bounds (NODE_TIMEOUT_MS, LEASE_MS), so a SIGKILLed node's
 * waiters and endpoints move on in seconds. Prints `webhook attempt <webhook-id> ok|failed` per delivery attempt, so
 * the test knows which node delivers.
 */
import { createServer } from '@tandem/core/server'
import { postgresStore } from '@tandem/sources'
import { defineSchema, model, z } from '@tandem/core/schema'
import { webhooks } from '@tandem/webhooks'

const schema = defineSchema({ tasks: model({ title: z.string() }) })

const env = (name: string) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is required`)
  return v
}

const server = await createServer({
  schema,
  store: postgresStore({ url: env('DATABASE_URL'), max: 4 }),
  port: 0,
  secretKeys: [env('SECRET_KEY')],
  claims: { nodeTimeoutMs: Number(env('NODE_TIMEOUT_MS')) },
  plugins: [
    webhooks({
      allowPrivateUrls: true,
      refreshMs: 100,
      timeoutMs: 2000,
      leaseMs: Number(env('LEASE_MS')),
      onAttempt: (_id, a) => console.log(`webhook attempt ${a.messageId} ${a.ok ? 'ok' : 'failed'}`),
    }),
  ],
})
console.log(`listening on ${server.url}`)
