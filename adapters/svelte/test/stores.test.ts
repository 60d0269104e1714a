/**
 * The stores in Node (Svelte's server build, no component): with `client` passed they work anywhere;
 * `$store`'s contract (call back at once, return unsubscribe) leaves no listener behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { createServer, memoryStore, type TandemServer } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { get } from 'svelte/store'
import { claim, presence, presenceList, status, tandem } from '@tandem/svelte'
import { schema } from './schema.ts'

let server: TandemServer
let client: ReturnType<typeof Tandem<typeof schema>>

beforeAll(async () => {
  server = await createServer({ schema, store: memoryStore(), port: 0 })
  client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
  await client.ready()
  await client.tasks.create({ id: 'a', data: { title: 'Row A' } })
})
afterAll(async () => {
  await client.dispose()
  await server.close()
})

describe('@tandem/svelte stores', () => {
  it('follow the store contract and leave no listener behind', () => {
    const before = client.status.lc
    const connected = tandem((t) => t.status.get() === 'connected', { client: client as never })
    const seen: boolean[] = []
    const off = connected.subscribe((value) => seen.push(value))
    const offStatus = status({ client: client as never }).subscribe(() => undefined)
    expect(seen).toEqual([true])
    expect(client.status.lc).toBe(before + 2)
    off()
    offStatus()
    expect(client.status.lc).toBe(before)
  })

  it('claim() is the claim view, with its verbs', async () => {
    const view = claim({ model: 'tasks', id: 'a', client: client as never })
    expect(get(view)).toMatchObject({ holder: null, mine: null, heldByMe: false })
    await view.claim({ action: 'checking' })
    await until(client, () => get(view).heldByMe)
    expect(get(view).holder?.action).toBe('checking')
    await view.release()
    await until(client, () => get(view).holder === null)
  })

  it('presence() and presenceList() are the presence atoms, following the store contract', async () => {
    const other = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'agent', name: 'Other' } })
    try {
      await other.ready()
      const onA = presence({ model: 'tasks', id: 'a', client: client as never })
      const seen: number[] = []
      const off = onA.subscribe((entries) => seen.push(entries.length))
      expect(seen).toEqual([0])
      other.presence.setIntent({ model: 'tasks', id: 'a', action: 'reading' })
      await until(client, () => onA.get().length === 1)
      expect(get(onA)[0]).toMatchObject({ participant: { kind: 'agent', name: 'Other' }, intent: { model: 'tasks', id: 'a', action: 'reading' }, self: false })
      expect(get(presence({ client: client as never })).map((p) => p.participant.name)).toEqual(['Other'])
      expect(get(presenceList({ client: client as never })).filter((p) => p.self)).toHaveLength(1)
      off()
    } finally {
      await other.dispose()
    }
    await until(client, () => presenceList({ client: client as never }).get().length === 1)
  })

  it('outside a component and without a client, they say what is missing', () => {
    expect(() => tandem((t) => t.status.get())).toThrow(/setTandem\(client\).*pass \{ client \}/)
    expect(() => status()).toThrow(/setTandem/)
    expect(() => status()).toThrow(expect.objectContaining({ type: 'TandemValidationError', code: 'invalid_request' }))
    // A model the schema lacks (past the types) throws core's typed error from the call.
    expect(() => claim({ model: 'projects' as never, id: 'a', client: client as never })).toThrow(
      expect.objectContaining({ type: 'TandemValidationError', code: 'unknown_model' }),
    )
  })
})
