/**
 * @module Identity: who a bearer token is. Secret keys (configured, or
 * created with `tandem keys create` and stored hashed) act for the whole
 * project; session tokens are minted by a secret key for one user and a set
 * of sync groups. Revocations are re-read from the store every second, so
 * they reach open sockets on every node within seconds.
 */
import { randomBytes } from 'node:crypto'
import { TandemAuthError } from '../../errors/index.ts'
import { createId } from '../../internal/ids.ts'
import type { Actor, Participant } from '../../protocol/index.ts'
import type { Session } from './session.ts'
import { projectGroup } from './session.ts'
import type { Store } from '../store.ts'
import { hashKey, keyIdOf, keyKind, type KeyRecord } from './secret-keys.ts'
import { signSessionToken, verifySessionToken } from './session-token.ts'

export const revokedSessionKind = 'revoked_session'

export interface MintSessionInput {
  userId: string
  groups: string[]
  participant?: Participant
  onBehalfOf?: string
  /** Seconds. */
  ttl: number
}

export interface MintedSession {
  object: 'session'
  id: string
  token: string
  expiresAt: string
  userId: string
  groups: string[]
  participant: Participant
  onBehalfOf: string | null
}

export interface Identity {
  authenticate(token: string, participant?: Participant): Session | null
  mintSession(issuer: Session, input: MintSessionInput): MintedSession
  revokeSession(id: string): Promise<void>
  /** Re-read keys and revocations from the store now. */
  refresh(): Promise<void>
  close(): void
}

export interface IdentityOptions {
  /** How often keys and revocations are re-read from the store, in ms (default 1000). */
  refreshMs?: number
  /**
   * The secret session tokens are signed with (at least 32 characters). Given,
   * it is used instead of the one kept in the store, and none is stored: a
   * copy of the database alone cannot mint tokens. Every node needs the same.
   */
  sessionSecret?: string
}

/** Shortest `sessionSecret` accepted, in characters. */
export const minSessionSecretLength = 32

/** The signing secret: the configured one, else the project's, created in the store on first start and shared by every node through it. */
async function signingSecret(store: Store, configured: string | undefined): Promise<Buffer> {
  if (configured !== undefined) {
    if (configured.length < minSessionSecretLength) {
      throw new Error(`The session secret must be at least ${minSessionSecretLength} characters (e.g. \`openssl rand -base64 32\`)`)
    }
    return Buffer.from(configured, 'utf8')
  }
  await store.putRecord('meta', 'session_secret', { secret: randomBytes(32).toString('base64') }, { ifAbsent: true })
  return Buffer.from(((await store.getRecord('meta', 'session_secret')) as { secret: string }).secret, 'base64')
}

export async function createIdentity(store: Store, configuredKeys: readonly string[], options: IdentityOptions = {}): Promise<Identity> {
  const configured = new Map(configuredKeys.map((k) => [hashKey(k), keyIdOf(k)]))
  let stored = new Map<string, KeyRecord>() // by hash
  let revokedKeys = new Set<string>() // key ids
  let revokedSessions = new Set<string>()
  const secret = await signingSecret(store, options.sessionSecret)

  const refresh = async () => {
    const keys = (await store.listRecords(keyKind)).map((r) => r.value as KeyRecord)
    stored = new Map(keys.filter((k) => !k.revokedAt).map((k) => [k.hash, k]))
    revokedKeys = new Set(keys.filter((k) => k.revokedAt).map((k) => k.id))
    revokedSessions = new Set((await store.listRecords(revokedSessionKind)).map((r) => r.id))
  }
  await refresh()
  const timer = setInterval(() => void refresh().catch(() => undefined), options.refreshMs ?? 1000)
  timer.unref?.()

  const keyIdValid = (id: string) => !revokedKeys.has(id) && ([...configured.values()].includes(id) || [...stored.values()].some((k) => k.id === id))

  return {
    authenticate(token, participant) {
      if (token.startsWith('sk_')) {
        const hash = hashKey(token)
        const id = configured.get(hash) ?? stored.get(hash)?.id
        if (!id || revokedKeys.has(id)) return null
        const actor: Actor = { id: participant?.name ? `${id}:${participant.name}` : id, kind: participant?.kind ?? 'agent' }
        if (participant?.name) actor.name = participant.name
        return { credentialId: id, actor, groups: null, defaultGroup: projectGroup, secret: true }
      }
      if (!token.startsWith('ek_')) return null
      const p = verifySessionToken(token, secret)
      if (!p || p.exp * 1000 <= Date.now() || revokedSessions.has(p.sid) || !keyIdValid(p.iss)) return null
      const actor: Actor = { id: p.sub, kind: p.pk, ...(p.pn ? { name: p.pn } : {}), ...(p.obo ? { onBehalfOf: p.obo } : {}) }
      return {
        // One principal per (issuing key, user): idempotency keys and claim ownership survive a token refresh.
        credentialId: `usr_${p.iss}_${p.sub}`,
        actor,
        groups: p.grp,
        defaultGroup: p.grp.find((g) => g.startsWith('org:')) ?? p.grp[0]!,
        secret: false,
        expiresAt: p.exp * 1000,
      }
    },
    mintSession(issuer, input) {
      if (!issuer.secret) throw new TandemAuthError({ code: 'forbidden', message: 'Only a secret key may mint session tokens' })
      const sid = createId()
      const now = Math.floor(Date.now() / 1000)
      const participant = input.participant ?? { kind: 'human' as const }
      const payload = {
        v: 1 as const,
        sid,
        sub: input.userId,
        grp: input.groups,
        pk: participant.kind,
        ...(participant.name ? { pn: participant.name } : {}),
        ...(input.onBehalfOf ? { obo: input.onBehalfOf } : {}),
        iss: issuer.credentialId,
        iat: now,
        exp: now + input.ttl,
      }
      return {
        object: 'session',
        id: sid,
        token: signSessionToken(payload, secret),
        expiresAt: new Date(payload.exp * 1000).toISOString(),
        userId: input.userId,
        groups: input.groups,
        participant,
        onBehalfOf: input.onBehalfOf ?? null,
      }
    },
    async revokeSession(id) {
      await store.putRecord(revokedSessionKind, id, { revokedAt: new Date().toISOString() })
      revokedSessions.add(id)
    },
    refresh,
    close: () => clearInterval(timer),
  }
}
