/** @module Secret keys: generated once, shown once, stored only as a SHA-256 hash. */
import { createHash } from 'node:crypto'
import { randomToken } from '../../internal/ids.ts'

export interface KeyRecord {
  id: string
  hash: string
  /** First characters, to recognise a key in lists. */
  prefix: string
  label: string
  createdAt: string
  revokedAt: string | null
}

export const keyKind = 'key'

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

/** Stable id of a key (derived from its hash, so configured keys get one too). */
export const keyIdOf = (key: string): string => `key_${hashKey(key).slice(0, 12)}`

/** Generate a secret key (`sk_test_…`). */
export function generateSecretKey(): string {
  return `sk_test_${randomToken(24)}`
}

/** A new key and the record to store for it (the key itself is never stored). */
export function newKeyRecord(label = ''): { key: string; record: KeyRecord } {
  const key = generateSecretKey()
  return { key, record: { id: keyIdOf(key), hash: hashKey(key), prefix: key.slice(0, 12), label, createdAt: new Date().toISOString(), revokedAt: null } }
}
