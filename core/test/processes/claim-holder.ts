/** A separate process that claims a row, prints its token, and then hangs (until SIGKILLed). */
import Tandem from '@tandem/core'
import { schema } from '../fixtures.ts'

const [baseURL, apiKey, id] = process.argv.slice(2) as [string, string, string]
const tandem = Tandem({ schema, baseURL, apiKey, participant: { kind: 'agent', name: 'doomed' } })
await tandem.ready()
const claim = await tandem.tasks.claim({ id, action: 'about to crash', ttl: 60_000 })
process.stdout.write(`${JSON.stringify({ token: claim.token, claimId: claim.id })}\n`)
setInterval(() => undefined, 1 << 30)
