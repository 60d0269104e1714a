import { describe, expect, it, vi } from 'vitest'
import { PresenceRegistry } from '../presence/presence-registry.ts'
import type { PresenceService } from '../presence/presence-service.ts'
import { Hub } from '../sync/hub.ts'
import { waitForNews, withPresenceVersion } from './changes-wait.ts'

const now = new Date().toISOString()
const record = (connectionId: string) => ({
  connectionId,
  participant: { kind: 'human' as const, id: 'u' },
  groups: null,
  credentialId: 'c',
  connectedAt: now,
  updatedAt: now,
  intent: null,
  intentGroups: null,
})

function parts() {
  const hub = new Hub(async () => [])
  const registry = new PresenceRegistry()
  const presence = { registry, httpTtlMs: 30_000 } as unknown as PresenceService
  const signals: AbortSignal[] = []
  for (const target of [hub, registry]) {
    const original = target.waitPast.bind(target)
    vi.spyOn(target, 'waitPast').mockImplementation((after, ms, signal) => (signals.push(signal!), original(after, ms, signal)))
  }
  return { hub, registry, presence, signals }
}

describe('waitForNews', () => {
  it('ends on a presence change past the version, and aborts the log wait it no longer needs', async () => {
    const { hub, registry, presence, signals } = parts()
    const done = waitForNews(hub, presence, { after: 0, waitMs: 60_000, presence: registry.version }, new AbortController().signal)
    registry.join(record('a'))
    await done
    expect(signals).toHaveLength(2)
    expect(signals.every((s) => s.aborted)).toBe(true)
  })

  it('ends on a commit, and aborts the presence wait; without a version it waits on the log alone', async () => {
    const { hub, registry, presence, signals } = parts()
    const done = waitForNews(hub, presence, { after: 0, waitMs: 60_000, presence: registry.version }, new AbortController().signal)
    hub.head = 1
    hub.publish([{ syncId: 2, changes: [] } as never])
    await done
    expect(signals.every((s) => s.aborted)).toBe(true)
    const request = new AbortController()
    const alone = waitForNews(hub, presence, { after: 5, waitMs: 60_000 }, request.signal)
    request.abort()
    await alone
    expect(signals).toHaveLength(3)
  })

  it('splices presenceVersion into a page body without re-encoding it', () => {
    const body = JSON.stringify({ object: 'list', data: [], cursor: 3 })
    expect(JSON.parse(withPresenceVersion(body, 7))).toEqual({ object: 'list', data: [], cursor: 3, presenceVersion: 7 })
    expect(withPresenceVersion(body, undefined)).toBe(body)
  })
})
