import { afterEach, describe, expect, it } from 'vitest'
import Tandem, { TandemValidationError } from '@tandem/core'
import { startTestServer, until } from '@tandem/core/testing'
import { schema } from './fixtures.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

async function setup() {
  const server = await startTestServer(schema)
  cleanups.push(() => server.close())
  const client = () => {
    const c = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey })
    cleanups.push(() => c.dispose())
    return c
  }
  return { server, client }
}

describe('two clients over a real WebSocket', () => {
  it('see each other’s create, update and delete live', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])

    const created = await a.weatherReports.create({ data: { location: 'Stockholm', status: 'pending' } })
    expect(created.syncId).toBe(1)
    const seen = await until(b, (t) => t.weatherReports.get(created.id))
    expect(seen).toMatchObject({ location: 'Stockholm', status: 'pending', syncId: 1 })

    await a.weatherReports.update({ id: created.id, data: { status: 'ready', forecast: 'Light rain, 13C' } })
    await until(b, (t) => t.weatherReports.get(created.id)?.status === 'ready')
    expect(b.weatherReports.get(created.id)?.forecast).toBe('Light rain, 13C')

    await b.weatherReports.delete({ id: created.id })
    await until(a, (t) => t.weatherReports.get(created.id) === undefined)
    expect(a.snapshot()).toEqual(b.snapshot())
  })

  it('applies writes optimistically before the server confirms', async () => {
    const { client } = await setup()
    const a = client()
    await a.ready()
    const pending = a.tasks.create({ id: 'opt-1', data: { title: 'Now' } })
    // Synchronously visible, with the schema default applied.
    expect(a.tasks.get('opt-1')).toMatchObject({ title: 'Now', status: 'todo' })
    const row = await pending
    expect(row.syncId).toBeGreaterThan(0)
  })

  it('rejects invalid data locally with a typed error', async () => {
    const { client } = await setup()
    const a = client()
    await a.ready()
    await expect(a.tasks.create({ data: { title: '' } })).rejects.toBeInstanceOf(TandemValidationError)
    await expect(a.tasks.create({ data: { title: 'x', nope: 1 } as never })).rejects.toMatchObject({ code: 'unknown_field', param: 'nope' })
    expect(a.tasks.getCount()).toBe(0)
  })
})
