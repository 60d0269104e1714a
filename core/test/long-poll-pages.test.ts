import { describe, expect, it } from 'vitest'
import { setup } from './helpers.ts'

describe('GET /v1/changes shared by the polls one commit wakes', () => {
  it('each audience gets its own page: parked polls of two orgs and a secret key, one commit', async () => {
    const { server, http } = await setup()
    const token = async (org: string) => (await http('POST', '/v1/sessions', { userId: `u-${org}`, groups: [`org:${org}`] })).body.token as string
    const [a, b] = await Promise.all([token('a'), token('b')])
    const poll = (bearer: string) =>
      fetch(`${server.url}/v1/changes?after=0&wait=10`, { headers: { authorization: `Bearer ${bearer}` } }).then((r) => r.json() as Promise<any>)
    // Several polls per audience (parked, or arriving just after the commit: each must get the same page either way).
    const parked = [a, a, b, b, server.secretKey!, server.secretKey!].map(poll)
    const created = await fetch(`${server.url}/v1/commits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', id: 'secret-plan', data: { title: 'Only org a' } }] }),
    })
    expect(created.status).toBe(200)
    const [a1, a2, b1, b2, s1, s2] = await Promise.all(parked)
    for (const page of [a1, a2, s1, s2]) expect(page.data.flatMap((e: any) => e.changes.map((c: any) => c.id))).toEqual(['secret-plan'])
    for (const page of [b1, b2]) {
      expect(page.data).toEqual([])
      expect(JSON.stringify(page)).not.toContain('secret-plan')
    }
    for (const page of [a1, b1, s1]) expect(page).toMatchObject({ cursor: 1, syncId: 1, hasMore: false })
  })
})
