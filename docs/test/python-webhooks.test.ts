/**
 * @module The real `@tandem/webhooks` plugin delivers to `webhook_receiver.py` (the CLI) and to `worker.py` in
 * webhook mode, which summarizes the new task.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { webhooks } from '@tandem/webhooks'
import { expect, it } from 'vitest'
import { devSchema as schema, examplesDir, startPython } from './python-process.ts'

it('the webhooks plugin delivers to webhook_receiver.py and drives worker.py', async () => {
  const server = await createServer({ schema, store: memoryStore(), port: 0, plugins: [webhooks({ allowPrivateUrls: true })] })
  const auth = { authorization: `Bearer ${server.secretKey}`, 'content-type': 'application/json' }
  const ada = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'human', name: 'ada' } })
  const dir = mkdtempSync(join(tmpdir(), 'tandem-real-webhooks-'))
  const api = async (method: string, path: string, body: unknown) =>
    (await (await fetch(`${server.url}${path}`, { method, headers: auth, body: JSON.stringify(body) })).json()) as { id: string; secret: string }
  // The secret comes with the endpoint, the port with the receiver: create with a placeholder URL, then PATCH it.
  const forReceiver = await api('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:1/' })
  const forWorker = await api('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:1/' })
  const receiver = startPython([join(examplesDir, 'webhook_receiver.py'), '--port', '0', '--secret', forReceiver.secret, '--out', join(dir, 'events.jsonl')])
  const worker = startPython(
    [join(examplesDir, 'worker.py'), '--port', '0', '--secret', forWorker.secret, '--events', join(dir, 'worker.jsonl'), '--exit-after', '1'],
    {
      TANDEM_URL: server.url,
      TANDEM_API_KEY: server.secretKey,
      WORK_SECONDS: '0',
    },
  )
  try {
    const receiverUrl = (await receiver.line(/^listening on /)).slice('listening on '.length)
    const workerUrl = (await worker.line(/^listening on /)).slice('listening on '.length)
    await api('PATCH', `/v1/webhook_endpoints/${forReceiver.id}`, { url: `${receiverUrl}/` })
    await api('PATCH', `/v1/webhook_endpoints/${forWorker.id}`, { url: `${workerUrl}/` })
    await ada.ready()
    await ada.tasks.create({ id: 'x1', data: { title: 'Real webhook delivery works' } })
    expect(await until(ada, (t) => t.tasks.get('x1')?.notes, 20_000)).toBe("4 words; starts with 'Real'")
    expect(await worker.exited, worker.stderr()).toBe(0)
    await receiver.line(/"status": 200, "stored": [1-9]/)
    const types = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { type: string }).type)
    expect(types[0]).toBe('tasks.created')
  } finally {
    await Promise.all([receiver.kill(), worker.kill()])
    await ada.dispose()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
