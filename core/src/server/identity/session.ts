/** @module Who is calling: credentials → Session (actor, sync groups). */
import type { Actor, Participant } from '../../protocol/index.ts'
import type { GroupFilter } from '../store.ts'

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
  /** When the credential stops working (ms since epoch); absent for secret keys. */
  expiresAt?: number
}

/** The participant a client declares (the one `Participant` type of protocol/). */
export type ParticipantHint = Participant

/** Turns a bearer token into a Session, or null when it is not valid. */
export type Authenticator = (token: string, participant?: ParticipantHint) => Session | null

/** The project's default sync group, given to rows a secret key creates. */
export const projectGroup = 'org:default'

export { generateSecretKey } from './secret-keys.ts'
