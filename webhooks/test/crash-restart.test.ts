import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { spawnProcess, type ServerProcess } from '@tandem/core/testing'
import { expect, it } from 'vitest'
import { defer } from './harness.ts'
import { Receiver } from './receiver.ts'

const key = 'sk_test_webhooks'
const script = resolve(import.meta.dirname, 'processes/webhook-server.ts')

it('SIGKILL mid-delivery, restart on the same SQLite file: no event lost, duplicates only under the same event id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-webhooks-crash-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DB: join(dir, 'db.sqlite') }
  let server: ServerProcess = await spawnProcess([script], { env })
  defer(() => server.kill())
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return (await res.json()) as any
  }
  const write = async (from: number, to: number) => {
    for (let i = from; i < to; i++)
      await call('POST', '/v1/commits', { operations: [{ op: 'create', model: 'notes', id: `n${i}`, data: { text: String(i) } }] })
  }

  const receiver = await new Receiver().up()
  defer(() => receiver.down())
  const created = await call('POST', '/v1/webhook_endpoints', { url: receiver.url })
  receiver.secrets.push(created.secret)
  await write(0, 100)
  await receiver.until(() => receiver.events.length === 100)

  // The next batch is taken in by the receiver, but its answer never gets back: the server dies while waiting for it.
  receiver.behaviour = 'store-then-hang'
  const requestsBefore = receiver.requests.length
  await write(100, 150)
  await receiver.until(() => receiver.requests.length > requestsBefore)
  await server.kill()
  const unanswered = receiver.requests.slice(requestsBefore).flatMap((r) => r.events.map((e) => e.id))
  expect(unanswered.length).toBeGreaterThan(0)

  receiver.behaviour = 'ok'
  server = await spawnProcess([script], { env: { ...env, PORT: String(server.port) } })
  await write(150, 200)
  await receiver.until(() => receiver.events.length === 200, 30_000)

  const log = (await call('GET', '/v1/changes?after=0&limit=1000')).data as Array<{ syncId: number }>
  expect(receiver.events.map((e) => e.id)).toEqual(log.map((entry) => `evt_${entry.syncId}_0`))
  // What came twice is the batch the receiver never answered, byte for byte the same events.
  expect(receiver.duplicates.length).toBeGreaterThan(0)
  for (const dup of receiver.duplicates) {
    expect(unanswered).toContain(dup.id)
    expect(dup).toEqual(receiver.get(dup.id))
  }
  expect(receiver.requests.every((r) => r.verified)).toBe(true)
})
