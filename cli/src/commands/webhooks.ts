/** @module `tandem webhooks create|list|enable|disable|roll|deliveries|delete`: webhook endpoints, in the server's database. */
import { isTandemError } from '@tandem/core'
import { defineSchema } from '@tandem/core/schema'
import { webhookEndpoints, type PublicEndpoint } from '@tandem/webhooks'
import { parseCommand, pickSubcommand } from '../command-parser.ts'
import { webhooksSpec } from '../command-spec.ts'
import { loadSchema } from '../load-schema.ts'
import { storeFromUrl } from '../store-from-url.ts'

const line = (e: PublicEndpoint) =>
  `${e.id}  ${e.status}${e.disabledReason === 'failing' ? ' (failing)' : ''}  ${e.url}  events ${e.enabledEvents.join(',')}  cursor ${e.cursor}${e.description ? `  ${e.description}` : ''}`

export async function webhooksCommand(argv: string[]): Promise<number> {
  const picked = pickSubcommand(webhooksSpec, argv)
  if (!picked) return 0
  const args = parseCommand(picked.sub, picked.rest)
  if (!args) return 0
  const sub = picked.sub.name.split(' ')[1]!
  const values = args.values as {
    'database-url'?: string
    url?: string
    description?: string
    events?: string
    schema?: string
    'allow-private-urls'?: boolean
    'expires-in'?: string
    limit?: string
  }
  const id = args.positionals[0]
  const store = await storeFromUrl(values['database-url'] ?? process.env['DATABASE_URL'], { lock: false })
  await store.open(defineSchema({})) // only the internal tables are needed here
  // Event types are checked against a schema only when one is named (the default demo schema is not the server's).
  const models = values.schema ? (await loadSchema(values.schema)).modelNames : undefined
  const endpoints = webhookEndpoints(store, { allowPrivateUrls: values['allow-private-urls'] ?? false, ...(models ? { models } : {}) })
  try {
    switch (sub) {
      case 'create': {
        const created = await endpoints.create({
          url: values.url,
          ...(values.description !== undefined ? { description: values.description } : {}),
          ...(values.events !== undefined ? { enabledEvents: values.events.split(',').map((e) => e.trim()) } : {}),
        })
        console.log(`Created ${line(created)}\nSigning secret (shown only now; give it to the receiver):\n${created.secret}`)
        return 0
      }
      case 'list': {
        const all = await endpoints.list()
        if (all.length === 0) console.log('No webhook endpoints.')
        for (const e of all) console.log(line(e))
        return 0
      }
      case 'enable':
      case 'disable':
        console.log(line(await endpoints.update(id!, { status: sub === 'enable' ? 'enabled' : 'disabled' })))
        return 0
      case 'delete':
        await endpoints.remove(id!)
        console.log(`Deleted ${id}`)
        return 0
      case 'roll': {
        const rolled = await endpoints.roll(id!, values['expires-in'] === undefined ? {} : { expiresInSeconds: Number(values['expires-in']) })
        const overlap = rolled.previousSecretExpiresAt
          ? `the previous secret keeps signing until ${rolled.previousSecretExpiresAt}`
          : 'the previous secret no longer signs'
        console.log(`New signing secret for ${id} (shown only now; ${overlap}):\n${rolled.secret}`)
        return 0
      }
      case 'deliveries': {
        const { data } = await endpoints.deliveries(id!, values.limit === undefined ? {} : { limit: values.limit })
        if (data.length === 0) console.log('No delivery attempts yet.')
        for (const a of data)
          console.log(
            `${a.attemptedAt}  ${a.ok ? 'ok    ' : 'failed'}  ${a.status ?? '---'}  ${a.latencyMs} ms  try ${a.attempt}  ${a.eventCount} events (syncId ${a.firstSyncId}..${a.lastSyncId})${a.error ? `  ${a.error}` : ''}`,
          )
        return 0
      }
    }
    return 2
  } catch (error) {
    if (!isTandemError(error)) throw error
    console.error(`tandem webhooks: ${error.message}`)
    return 1
  } finally {
    await store.close()
  }
}
