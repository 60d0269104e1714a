import { expect, it } from 'vitest'
import Tandem, { type Transport, websocketTransport } from '@tandem/core'
import { until, untilStatus } from '@tandem/core/testing'
import { startChaosProxy } from './chaos-proxy.ts'
import { schema } from './fixtures.ts'
import { defer, setup } from './helpers.ts'

it('a client behind a compacted log gets a typed resync, re-bootstraps and keeps its pending writes', async () => {
  const { server, client, http } = await setup({ logRetention: 10 })
  const proxy = await startChaosProxy(server.port, 0, 3)
  defer(() => proxy.close())
  const frames: string[] = []
  const inner = websocketTransport()
  const tap: Transport = { kind: 'tap', connect: (url, h) => inner.connect(url, { ...h, onFrame: (f) => (frames.push(f.type), h.onFrame(f)) }) }
  const a = Tandem({ schema, baseURL: proxy.url, apiKey: server.secretKey, transport: tap, heartbeatMs: 200 })
  defer(() => a.dispose())
  const b = client()
  await Promise.all([a.ready(), b.ready()])
  await b.tasks.create({ id: 'early', data: { title: 'seen by both' } })
  await until(a, (t) => t.tasks.get('early'))

  proxy.freeze()
  await untilStatus(a, 'backoff', 5000)
  const mine = a.tasks.create({ id: 'mine', data: { title: 'queued while away' } })
  for (let i = 0; i < 50; i++) await b.tasks.create({ id: `b${i}`, data: { title: `b ${i}` } })
  await b.tasks.delete({ id: 'early' })
  // Compaction runs after commits; the first entries are gone.
  const changes = await http('GET', '/v1/changes?after=1')
  expect(changes.body.resync).toBe(true)

  proxy.thaw()
  expect((await mine).id).toBe('mine')
  await until(a, (t) => t.pendingCount() === 0 && t.tasks.getCount() === 51 && t.tasks.get('early') === undefined, 10_000)
  await until(b, (t) => t.tasks.get('mine'))
  expect(frames).toContain('resync')
  expect(a.snapshot()).toEqual(b.snapshot())
})
