/** @module Who is calling: credentials → Session (actor, sync groups). */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Actor, ParticipantKind } from '../protocol/index.ts'
import type { GroupFilter } from './store.ts'
import { randomToken } from '../internal/ids.ts'

export interface Session {
  /** Stable id of the credential; scopes idempotency keys. */
  credentialId: string
  actor: Actor
  /** Groups this session may read and write; null = every group (a secret key). */
  groups: GroupFilter
  /** Group a row gets by default when this session creates it. */
  defaultGroup: string
  /** Holds a secret key (may manage keys, sessions, webhooks). */
  secret: boolean
}

export interface ParticipantHint {
  kind: ParticipantKind
  name?: string
}

/** Turns a bearer token into a Session, or null when it is not valid. */
export type Authenticator = (token: string, participant?: ParticipantHint) => Session | null

/** The project's default sync group, given to rows a secret key creates. */
export const projectGroup = 'org:default'

const sha256 = (s: string) => createHash('sha256').update(s).digest()

/** Generate a secret key (`sk_test_…`). */
export function generateSecretKey(): string {
  return `sk_test_${randomToken(24)}`
}

/** Authenticate against a fixed list of secret keys (hashed, compared in constant time). */
export function secretKeyAuthenticator(secretKeys: readonly string[]): Authenticator {
  const hashes = secretKeys.map((key) => ({ hash: sha256(key), id: `key_${sha256(key).toString('hex').slice(0, 12)}` }))
  return (token, participant) => {
    if (!token.startsWith('sk_')) return null
    const h = sha256(token)
    const match = hashes.find((k) => timingSafeEqual(k.hash, h))
    if (!match) return null
    const actor: Actor = { id: participant?.name ? `${match.id}:${participant.name}` : match.id, kind: participant?.kind ?? 'agent' }
    if (participant?.name) actor.name = participant.name
    return { credentialId: match.id, actor, groups: null, defaultGroup: projectGroup, secret: true }
  }
}
