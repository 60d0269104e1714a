/**
 * Property test: random join / setIntent / clearIntent / disconnect sequences over a few clients (three
 * session users in different groups, one secret key; some over long-poll). After each sequence settles,
 * every connected client's `presence.list` equals what a plain model says it may see.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import Tandem, { type PresenceEntry } from '@tandem/core'
import { defineSchema, model, z } from '@tandem/core/schema'
import { startTestServer } from '@tandem/core/testing'

const schema = defineSchema({
  docs: model({ title: z.string(), team: z.string().optional() }, { groups: (row, ctx) => (row.team ? [`team:${row.team}`] : [ctx.defaultGroup]) }),
})
type Client = ReturnType<typeof Tandem<typeof schema>>

const users = {
  alice: { groups: ['org:a'], transport: 'websocket' },
  aaron: { groups: ['org:a', 'team:red'], transport: 'http' },
  bob: { groups: ['org:b'], transport: 'websocket' },
  root: { groups: null, transport: 'websocket' },
} as const
type User = keyof typeof users
const names = Object.keys(users) as User[]
/** Rows and their groups: one per group, created by a user who can see it. */
const rows = {
  inA: { by: 'alice', team: undefined, groups: ['org:a'] },
  inRed: { by: 'aaron', team: 'red', groups: ['team:red'] },
  inB: { by: 'bob', team: undefined, groups: ['org:b'] },
} as const
type RowName = keyof typeof rows

const sees = (groups: readonly string[] | null, target: readonly string[] | null) =>
  groups === null || target === null || target.some((g) => groups.includes(g))

const action = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), user: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant('leave' as const), user: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant('clear' as const), user: fc.constantFrom(...names) }),
  fc.record({
    kind: fc.constant('set' as const),
    user: fc.constantFrom(...names),
    row: fc.constantFrom(...(Object.keys(rows) as RowName[])),
    action: fc.constantFrom('reading', 'writing'),
  }),
)

/** What `viewer` should see, as comparable text: name, self, intent (row name and action, or null). */
function expected(viewer: User, online: Map<User, { intent: { row: RowName; action: string } | null }>): string[] {
  const out: string[] = []
  for (const [who, state] of online) {
    const self = who === viewer
    if (!self && !sees(users[viewer].groups, users[who].groups)) continue
    const i = state.intent
    // Shown to the setter, to a secret key, and to viewers who can see the row when the setter can too.
    const intentShown =
      i && (self || users[viewer].groups === null || (sees(users[who].groups, rows[i.row].groups) && sees(users[viewer].groups, rows[i.row].groups)))
    out.push(`${who} self=${self} ${intentShown ? `${i.row}/${i.action}` : 'null'}`)
  }
  return out.sort()
}

function actual(list: readonly PresenceEntry[], rowIds: Record<RowName, string>): string[] {
  const rowName = (id: string) => (Object.keys(rowIds) as RowName[]).find((r) => rowIds[r] === id) ?? id
  return list.map((e) => `${e.participant.name} self=${e.self} ${e.intent ? `${rowName(e.intent.id)}/${e.intent.action}` : 'null'}`).sort()
}

/** Resolve once `client`'s list reads as `want`; reject (showing both) after a generous timeout. */
function settles(client: Client, want: string[], rowIds: Record<RowName, string>): Promise<void> {
  const ok = () => JSON.stringify(actual(client.presence.list.get(), rowIds)) === JSON.stringify(want)
  if (ok()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`presence did not settle: want ${JSON.stringify(want)}, have ${JSON.stringify(actual(client.presence.list.get(), rowIds))}`))
    }, 15_000)
    const off = client.presence.list.listen(() => {
      if (!ok()) return
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}

it('after any join / intent / leave sequence, every list equals the visible set', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
      await using server = await startTestServer(schema)
      const post = async (token: string, path: string, body: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
        return (await res.json()) as Record<string, any>
      }
      const tokens = {} as Record<User, string>
      for (const u of names) {
        const groups = users[u].groups
        tokens[u] =
          groups === null
            ? server.secretKey
            : (await post(server.secretKey, '/v1/sessions', { userId: u, groups: [...groups], participant: { kind: 'human', name: u } })).token
      }
      const rowIds = {} as Record<RowName, string>
      for (const [name, r] of Object.entries(rows) as [RowName, (typeof rows)[RowName]][]) {
        const commit = await post(tokens[r.by], '/v1/commits', {
          operations: [{ op: 'create', model: 'docs', data: { title: name, ...(r.team ? { team: r.team } : {}) } }],
        })
        rowIds[name] = commit.rows[0].id
      }

      const clients = new Map<User, Client>()
      const online = new Map<User, { intent: { row: RowName; action: string } | null }>()
      try {
        for (const a of actions) {
          const c = clients.get(a.user)
          if (a.kind === 'join' && !c) {
            const client = Tandem({
              schema,
              baseURL: server.url,
              apiKey: tokens[a.user],
              transport: users[a.user].transport,
              participant: { kind: 'human', name: a.user },
            })
            clients.set(a.user, client)
            online.set(a.user, { intent: null })
            await client.ready()
          } else if (a.kind === 'leave' && c) {
            await c.dispose()
            clients.delete(a.user)
            online.delete(a.user)
          } else if (a.kind === 'clear' && c) {
            c.presence.clearIntent()
            online.get(a.user)!.intent = null
          } else if (a.kind === 'set' && c) {
            c.presence.setIntent({ model: 'docs', id: rowIds[a.row], action: a.action })
            online.get(a.user)!.intent = { row: a.row, action: a.action }
          }
        }
        await Promise.all([...clients].map(([u, c]) => settles(c, expected(u, online), rowIds)))
        for (const [u, c] of clients) expect(actual(c.presence.list.get(), rowIds)).toEqual(expected(u, online))
      } finally {
        await Promise.all([...clients.values()].map((c) => c.dispose()))
      }
    }),
    { numRuns: 15 },
  )
}, 240_000)
