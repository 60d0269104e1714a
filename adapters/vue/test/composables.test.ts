/**
 * The composables in Node, without a DOM: scopes made with `effectScope` inside the app's context (what a
 * component's setup has). Listening stops with the scope; misuse fails with a message that says what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { createServer, memoryStore, type TandemServer } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { createApp, effectScope, nextTick, ref } from 'vue'
import { tandemPlugin, useClaim, useIntent, usePresence, usePresenceList, useStatus, useTandem } from '@tandem/vue'
import { schema } from './schema.ts'

let server: TandemServer
let client: ReturnType<typeof Tandem<typeof schema>>

beforeAll(async () => {
  server = await createServer({ schema, store: memoryStore(), port: 0 })
  client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
  await client.ready()
  await client.tasks.create({ id: 'a', data: { title: 'Row A' } })
  await client.tasks.create({ id: 'b', data: { title: 'Row B' } })
})
afterAll(async () => {
  await client.dispose()
  await server.close()
})

/** Run `fn` as a component's setup would: in a scope, with the app's provides. */
function inScope<T>(fn: () => T, app = createApp({ render: () => null }).use(tandemPlugin, { client: client as never })) {
  const scope = effectScope()
  const value = app.runWithContext(() => scope.run(fn))!
  return { value, stop: () => scope.stop() }
}

describe('@tandem/vue composables', () => {
  it('stop listening to every store they read when the scope is disposed', () => {
    const before = client.status.lc
    const { value, stop } = inScope(() => ({ status: useStatus(), connected: useTandem((t) => t.status.get() === 'connected') }))
    expect(value.status.value).toBe('connected')
    expect(value.connected.value).toBe(true)
    expect(client.status.lc).toBe(before + 2)
    stop()
    expect(client.status.lc).toBe(before)
  })

  it('rebuild the store when a ref the selector read changes, and drop the old one', async () => {
    const id = ref('a')
    const { value: title, stop } = inScope(() => useTandem((t) => t.tasks.get(id.value)?.title))
    expect(title.value).toBe('Row A')
    id.value = 'b'
    await nextTick()
    expect(title.value).toBe('Row B')
    // Row A no longer concerns this ref.
    await client.tasks.update({ id: 'a', data: { title: 'Row A, edited' } })
    expect(title.value).toBe('Row B')
    await client.tasks.update({ id: 'b', data: { title: 'Row B, edited' } })
    await until(client, (t) => t.tasks.get('b')?.title === 'Row B, edited')
    expect(title.value).toBe('Row B, edited')
    stop()
  })

  it('useClaim follows a getter, and claim()/release() act on the current target', async () => {
    const id = ref('a')
    const { value: view, stop } = inScope(() => useClaim(() => ({ model: 'tasks' as const, id: id.value })))
    id.value = 'b'
    await nextTick()
    const handle = await view.claim({ action: 'checking' })
    expect(handle.target).toEqual({ model: 'tasks', id: 'b' })
    await until(client, () => view.heldByMe.value)
    expect(view.holder.value?.action).toBe('checking')
    await view.release()
    await until(client, () => view.holder.value === null)
    expect(view.mine.value).toBeNull()
    stop()
  })

  it('usePresence follows a getter target; useIntent follows a getter and clears on null and when the scope stops', async () => {
    const watcher = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'agent', name: 'Watcher' } })
    try {
      await watcher.ready()
      const row = ref<string | null>('a')
      const target = ref('a')
      const onA = client.presence.others({ model: 'tasks', id: 'a' })
      const listening = onA.lc
      const { value, stop } = inScope(() => {
        useIntent(() => (row.value ? { model: 'tasks' as const, id: row.value, action: 'editing' } : null))
        return { here: usePresence(() => ({ model: 'tasks' as const, id: target.value })), all: usePresenceList() }
      })
      const mine = (t: typeof watcher) => t.presence.list.get().find((p) => !p.self)?.intent ?? null
      expect(await until(watcher, (t) => mine(t)?.id === 'a')).toBe(true)
      row.value = 'b'
      expect(await until(watcher, (t) => mine(t)?.id === 'b')).toBe(true)
      row.value = null
      await until(watcher, (t) => t.presence.list.get().length === 2 && mine(t) === null)

      // The watcher's intent, seen through the refs: on row a, then (the target ref moved) through row b's.
      watcher.presence.setIntent({ model: 'tasks', id: 'a', action: 'reviewing' })
      // Awaited on the atom (a Tandem selector does not see Vue refs); the ref follows it at once.
      await until(client, (t) => t.presence.others({ model: 'tasks', id: 'a' }).get().length === 1)
      await nextTick()
      expect(value.here.value[0]).toMatchObject({ participant: { kind: 'agent', name: 'Watcher' }, intent: { id: 'a', action: 'reviewing' }, self: false })
      expect(value.all.value.map((p) => p.self).sort()).toEqual([false, true])
      expect(onA.lc).toBe(listening + 1)
      target.value = 'b'
      await nextTick()
      expect(value.here.value).toEqual([])
      // Following the target to row b let go of row a's atom.
      expect(onA.lc).toBe(listening)

      row.value = 'a'
      expect(await until(watcher, (t) => mine(t)?.id === 'a')).toBe(true)
      const onB = client.presence.others({ model: 'tasks', id: 'b' })
      expect(onB.lc).toBeGreaterThan(0)
      stop()
      expect(onB.lc).toBe(0)
      await until(watcher, (t) => t.presence.list.get().length === 2 && mine(t) === null)
    } finally {
      await watcher.dispose()
    }
  })

  it('say what is missing outside the plugin or outside a scope', () => {
    const bare = createApp({ render: () => null })
    expect(() => inScope(() => useTandem(), bare)).toThrow(/app\.use\(tandemPlugin/)
    expect(() => inScope(() => useTandem(), bare)).toThrow(expect.objectContaining({ code: 'invalid_request' }))
    const app = createApp({ render: () => null }).use(tandemPlugin, { client: client as never })
    expect(() => app.runWithContext(() => useStatus())).toThrow(/need a scope/)
    expect(() => app.runWithContext(() => useStatus())).toThrow(expect.objectContaining({ type: 'TandemValidationError', code: 'invalid_request' }))
    // A model or field the schema lacks (past the types) throws core's typed error from the call.
    expect(() => inScope(() => useClaim({ model: 'projects' as never, id: 'a' }))).toThrow(
      expect.objectContaining({ type: 'TandemValidationError', code: 'unknown_model' }),
    )
    expect(() => inScope(() => useClaim({ model: 'tasks', id: 'a', field: 'colour' as never }))).toThrow(
      expect.objectContaining({ type: 'TandemValidationError', code: 'unknown_field' }),
    )
  })
})
