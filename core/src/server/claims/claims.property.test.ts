/**
 * Property test: random interleavings of claim, release, heartbeat loss
 * (time passing), disconnect and writes across 2–6 participants. Checks:
 * never two holders of overlapping targets; FIFO among conflicting waiters;
 * every accepted write carried the current token of each claim it touched;
 * no waiter starves once holders let go.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TandemClaimedError } from '../../errors/index.ts'
import type { ClaimTarget } from '../../protocol/index.ts'
import type { PreparedOp } from '../commit/commit-pipeline.ts'
import type { Session } from '../identity/session.ts'
import { memoryStore } from '../stores/memory-store.ts'
import type { ClaimCoordinator } from './claim-coordinator.ts'
import { claimGuard } from './claim-guard.ts'
import { conflicts, writeTouches } from '../../protocol/index.ts'
import { memoryClaimCoordinator } from './memory-claims.ts'
import { storeClaimCoordinator } from './store-claims.ts'

const rows = ['r1', 'r2']
const fields = [undefined, 'a', 'b'] as const
const ttlMs = 1000

type Cmd =
  | { kind: 'acquire'; p: number; row: number; field: number }
  | { kind: 'release'; p: number; pick: number }
  | { kind: 'heartbeat'; p: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'disconnect'; p: number }
  | { kind: 'write'; p: number; row: number; field: number; useToken: boolean }

const cmd = (n: number): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('acquire' as const), p: fc.nat(n - 1), row: fc.nat(1), field: fc.nat(2) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), p: fc.nat(n - 1), pick: fc.nat(3) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), p: fc.nat(n - 1) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 50, max: 1500 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), p: fc.nat(n - 1) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), p: fc.nat(n - 1), row: fc.nat(1), field: fc.nat(2), useToken: fc.boolean() }) },
  )

const scenario = fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(cmd(n), { minLength: 5, maxLength: 60 })))

const coordinators: Array<[string, () => ClaimCoordinator]> = [
  ['in-process', () => memoryClaimCoordinator()],
  ['store-backed', () => storeClaimCoordinator(memoryStore())],
]

describe.each(coordinators)('claims under random interleavings (%s coordinator)', (_name, make) => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('keeps exclusivity, FIFO, fencing and progress', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([n, cmds]) => {
        const claims = make()
        const guard = claimGuard(claims)
        const arrival = new Map<string, number>()
        const ownerOf = new Map<string, number>()
        const tokens = new Map<string, string>() // claimId → token once granted
        let seq = 0
        const settle = () => vi.advanceTimersByTimeAsync(0)
        const session = (p: number): Session => ({
          credentialId: `cred${p}`,
          actor: { id: `p${p}`, kind: 'agent' },
          groups: null,
          defaultGroup: 'org:default',
          secret: true,
        })
        const all = async () => (await Promise.all(rows.map((id) => claims.claimsOn('tasks', id)))).flat()

        const checkInvariants = async () => {
          for (const id of rows) {
            const line = await claims.claimsOn('tasks', id)
            const active = line.filter((c) => c.status === 'active')
            for (let i = 0; i < active.length; i++)
              for (let j = i + 1; j < active.length; j++) expect(conflicts(active[i]!.target, active[j]!.target)).toBe(false)
            for (const x of active)
              for (const y of line) if (y.status === 'queued' && conflicts(x.target, y.target)) expect(arrival.get(y.id)!).toBeGreaterThan(arrival.get(x.id)!)
          }
        }

        for (const c of cmds) {
          if (c.kind === 'acquire') {
            const target: ClaimTarget = { model: 'tasks', id: rows[c.row]!, ...(fields[c.field] ? { field: fields[c.field]! } : {}) }
            const before = new Set((await all()).map((s) => s.id))
            const p = claims.acquire({
              target,
              action: `p${c.p}`,
              wait: true,
              ttlMs,
              holder: { id: `p${c.p}`, kind: 'agent' },
              credentialId: `cred${c.p}`,
              ownerId: `o${c.p}`,
              groups: [],
            })
            await settle()
            const added = (await all()).find((s) => !before.has(s.id))!
            arrival.set(added.id, seq++)
            ownerOf.set(added.id, c.p)
            p.then(
              (g) => tokens.set(g.state.id, g.token),
              () => undefined,
            )
          } else if (c.kind === 'release') {
            const mine = (await all()).filter((s) => ownerOf.get(s.id) === c.p)
            const victim = mine[c.pick % Math.max(1, mine.length)]
            if (victim) await claims.release(victim.id)
          } else if (c.kind === 'heartbeat') {
            for (const s of await all())
              if (s.status === 'active' && ownerOf.get(s.id) === c.p) await claims.heartbeat(tokens.get(s.id) ?? (await claims.get(s.id))!.token)
          } else if (c.kind === 'tick') {
            await vi.advanceTimersByTimeAsync(c.ms)
          } else if (c.kind === 'disconnect') {
            claims.ownerGone(`o${c.p}`, 200)
          } else {
            const field = fields[c.field]
            const op: PreparedOp = {
              op: field ? 'update' : 'delete',
              model: 'tasks',
              id: rows[c.row]!,
              data: field ? { [field]: 1 } : {},
              readAt: undefined,
              onStale: 'reject',
            }
            const written = field ? [field] : null
            // A token p once held on this row (may be stale by now).
            const held = [...tokens.entries()].find(([id]) => ownerOf.get(id) === c.p && id && tokens.get(id)!.length)
            const token = c.useToken ? held?.[1] : undefined
            const activeBefore = await claims.activeOn('tasks', op.id)
            let accepted = true
            let error: unknown
            try {
              await guard.check({ session: session(c.p), op, current: null, claimToken: token, tx: undefined as never })
            } catch (e) {
              accepted = false
              error = e
            }
            const mine = token ? await claims.byToken(token) : null
            if (accepted) {
              if (token) expect(mine).not.toBeNull()
              for (const a of activeBefore) if (writeTouches(a.state.target, written)) expect(a.state.id).toBe(mine?.state.id)
            } else {
              expect(error).toBeInstanceOf(TandemClaimedError)
              const code = (error as TandemClaimedError).code
              if (code === 'claim_lost') expect(mine).toBeNull()
              else {
                expect(code).toBe('entity_claimed')
                expect(activeBefore.some((a) => writeTouches(a.state.target, written) && a.state.id !== mine?.state.id)).toBe(true)
              }
            }
          }
          await settle()
          await checkInvariants()
        }

        // Progress: once holders let go, every waiter is granted in turn.
        for (let round = 0; round < 200 && (await all()).length > 0; round++) {
          for (const s of await all()) if (s.status === 'active') await claims.release(s.id)
          await settle()
          await checkInvariants()
        }
        expect(await all()).toEqual([])
        claims.close()
        void n
      }),
      { numRuns: 300 },
    )
  })
})
