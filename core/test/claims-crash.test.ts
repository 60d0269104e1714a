import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { until } from '@tandem/core/testing'
import { defer, setup } from './helpers.ts'

it('holder process SIGKILLed: the next waiter is granted after the grace period; the dead holder’s late write is refused', async () => {
  const { server, client, http } = await setup({ claims: { disconnectGraceMs: 300 } })
  const b = client({ participant: { kind: 'human', name: 'survivor' } })
  await b.ready()
  await b.tasks.create({ id: 'crash', data: { title: 'x' } })

  const child = spawn(
    process.execPath,
    ['--conditions=@tandem/source', resolve(import.meta.dirname, 'processes/claim-holder.ts'), server.url, server.secretKey, 'crash'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const exited = new Promise((r) => child.once('exit', r))
  defer(async () => {
    child.kill('SIGKILL')
    await exited
  })
  const line = await new Promise<string>((res, rej) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) res(out.split('\n')[0]!)
    })
    child.once('exit', (code) => rej(new Error(`holder exited early (${code})`)))
  })
  const dead = JSON.parse(line) as { token: string; claimId: string }
  await until(b, (t) => t.tasks.claim.state({ id: 'crash' })?.heldBy.name === 'doomed')

  const waiting = b.tasks.claim({ id: 'crash', action: 'taking over' })
  await until(b, (t) => t.tasks.claim.queue({ id: 'crash' }).length === 1)
  child.kill('SIGKILL')
  await exited

  const mine = await waiting
  expect(mine.data).toMatchObject({ id: 'crash', title: 'x' })
  const late = await http('POST', '/v1/commits', {
    operations: [{ op: 'update', model: 'tasks', id: 'crash', data: { title: 'zombie' } }],
    claimToken: dead.token,
  })
  expect(late.status).toBe(409)
  expect(late.body.error).toMatchObject({ code: 'claim_lost' })
  await b.tasks.update({ id: 'crash', data: { title: 'recovered' } })
  await mine.release()
  expect((await http('GET', '/v1/models/tasks/crash')).body.title).toBe('recovered')
})
