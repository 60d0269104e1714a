import { expect, it } from 'vitest'
import Tandem from '@tandem/core'
import { inProcessTransport } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

it('in-process transport: clients in the server’s process sync with each other and with WebSocket clients, claims included', async () => {
  const { server, client } = await setup()
  const local = () => {
    const c = Tandem({ schema, apiKey: server.secretKey, transport: inProcessTransport(server), participant: { kind: 'agent', name: 'embedded' } })
    defer(() => c.dispose())
    return c
  }
  const [a, b] = [local(), local()]
  const remote = client()
  await Promise.all([a.ready(), b.ready(), remote.ready()])
  const row = await a.tasks.create({ data: { title: 'embedded' } })
  await until(b, (t) => t.tasks.get(row.id))
  await until(remote, (t) => t.tasks.get(row.id))
  const claim = await b.tasks.claim({ id: row.id, action: 'local work' })
  await until(remote, (t) => t.tasks.claim.state({ id: row.id })?.heldBy.name === 'embedded')
  await expect(remote.tasks.update({ id: row.id, data: { title: 'no' } })).rejects.toMatchObject({ code: 'entity_claimed' })
  await b.tasks.update({ id: row.id, data: { status: 'done' } })
  await claim.release()
  await until(remote, (t) => t.tasks.get(row.id)?.status === 'done')
  expect(a.snapshot()).toEqual(remote.snapshot())
})
