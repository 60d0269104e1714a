/** @module Endpoints and their delivery history as named records of the server's store. */
import type { Store } from '@tandem/core/server'
import { deliveriesKind, endpointKind, type DeliveryAttempt, type EndpointRecord } from './endpoint.ts'

export const getEndpoint = async (store: Store, id: string) => (await store.getRecord(endpointKind, id)) as EndpointRecord | null

export const listEndpoints = async (store: Store) =>
  (await store.listRecords(endpointKind))
    .map((r) => r.value as EndpointRecord)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))

/** Atomic read-modify-write of one endpoint; `fn` gets null when it is gone (and should return null then). */
export const updateEndpoint = (store: Store, id: string, fn: (current: EndpointRecord | null) => EndpointRecord | null) =>
  store.updateRecord<EndpointRecord>(endpointKind, id, fn)

/** Prepend one attempt, keeping the newest `keep`. */
export async function recordAttempt(store: Store, id: string, attempt: DeliveryAttempt, keep: number): Promise<void> {
  await store.updateRecord<{ attempts: DeliveryAttempt[] }>(deliveriesKind, id, (cur) => ({ attempts: [attempt, ...(cur?.attempts ?? [])].slice(0, keep) }))
}

export async function listAttempts(store: Store, id: string): Promise<DeliveryAttempt[]> {
  return ((await store.getRecord(deliveriesKind, id)) as { attempts: DeliveryAttempt[] } | null)?.attempts ?? []
}

export async function deleteEndpoint(store: Store, id: string): Promise<void> {
  await store.deleteRecord(endpointKind, id)
  await store.deleteRecord(deliveriesKind, id)
}
