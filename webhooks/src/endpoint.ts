/** @module A webhook endpoint as stored (a named record), as shown over the API, and the request bodies that change it. */
import { z } from '@tandem/core/schema'

/** Record kinds in the store. */
export const endpointKind = 'webhook_endpoint'
export const deliveriesKind = 'webhook_deliveries'

export type EndpointStatus = 'enabled' | 'disabled'

export interface SigningSecret {
  secret: string
  /** null for the current secret; set on a rolled one, which keeps signing until then. */
  expiresAt: string | null
}

/** What the store keeps for one endpoint. Only the worker moves `cursor`, `failures` and `nextAttemptAt`. */
export interface EndpointRecord {
  id: string
  url: string
  description: string
  enabledEvents: string[]
  status: EndpointStatus
  /** Why it is disabled: `manual` (API, CLI) or `failing` (the retry schedule ran out). */
  disabledReason: 'manual' | 'failing' | null
  createdAt: string
  updatedAt: string
  /** Every entry with syncId ≤ cursor was delivered (or filtered out). */
  cursor: number
  /** Newest first. */
  secrets: SigningSecret[]
  /** Failed attempts in a row for the batch after the cursor. */
  failures: number
  nextAttemptAt: string | null
  /** The node delivering this endpoint now, so several nodes never deliver one endpoint at once. */
  lease: { owner: string; expiresAt: number } | null
  /**
   * The batch after the cursor that went out (or is going out) and is not confirmed yet: a retry, or another node after a
   * takeover, sends exactly these entries again, under the same `webhook-id`. Absent in records from before it existed.
   */
  sending?: { lastSyncId: number } | null
}

/** One delivery attempt, as recorded and listed. */
export interface DeliveryAttempt {
  object: 'webhook_delivery'
  id: string
  /** The `webhook-id` header: the same on every retry of one batch. */
  messageId: string
  attemptedAt: string
  /** 1 for the first try of a batch, then 2, 3, … */
  attempt: number
  ok: boolean
  /** HTTP status of the answer; null when none came (refused, timeout, network error). */
  status: number | null
  latencyMs: number
  error: string | null
  eventCount: number
  firstSyncId: number
  lastSyncId: number
}

/** The API's view: never the secrets, except `secret` right after creation and roll. */
export function publicEndpoint(e: EndpointRecord, secret?: string) {
  return {
    object: 'webhook_endpoint' as const,
    id: e.id,
    url: e.url,
    description: e.description,
    enabledEvents: e.enabledEvents,
    status: e.status,
    disabledReason: e.disabledReason,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    cursor: e.cursor,
    failures: e.failures,
    nextAttemptAt: e.nextAttemptAt,
    ...(secret === undefined ? {} : { secret }),
  }
}
export type PublicEndpoint = ReturnType<typeof publicEndpoint>

const url = z.string().min(1).max(2048)
const description = z.string().max(500)
const enabledEvents = z.array(z.string().min(1).max(200)).min(1).max(100)
const status = z.enum(['enabled', 'disabled'])

export const createEndpointBody = z.strictObject({
  url,
  description: description.default(''),
  enabledEvents: enabledEvents.default(['*']),
  status: status.default('enabled'),
})

/** `status` or `disabled` enable and disable; the cursor is not writable. */
export const updateEndpointBody = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    enabledEvents: enabledEvents.optional(),
    status: status.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => b.status === undefined || b.disabled === undefined || (b.status === 'disabled') === b.disabled, {
    message: 'status and disabled disagree',
    path: ['disabled'],
  })

/** How long the old secret keeps signing after a roll: 0 ends it now (a leaked secret), at most 24 h. */
export const rollSecretBody = z.strictObject({ expiresInSeconds: z.number().int().min(0).max(86_400).default(86_400) })

export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
