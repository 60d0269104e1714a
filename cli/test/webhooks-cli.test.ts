import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { spawnProcess } from '@tandem/core/testing'
import { verify } from '@tandem/webhooks/signing'
import { afterAll, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-webhooks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const tandem = (args: string[]) => run(process.execPath, ['--conditions=@tandem/source', join(root, 'cli/src/bin.ts'), ...args], { cwd: dir })

it('webhooks create | list | disable | enable | roll | deliveries | delete against a SQLite database', async () => {
  const db = ['--database-url', `sqlite:${join(dir, 'hooks.db')}`]
  const created = await tandem([
    'webhooks',
    'create',
    '--url',
    'http://127.0.0.1:9/hook',
    '--events',
    'tasks.*',
    '--description',
    'crm',
    '--allow-private-urls',
    ...db,
  ])
  const id = created.stdout.match(/we_[0-9a-f]{32}/)![0]
  const secret = created.stdout.match(/whsec_\S+/)![0]
  const listed = await tandem(['webhooks', 'list', ...db])
  expect(listed.stdout).toMatch(new RegExp(`${id}  enabled  http://127.0.0.1:9/hook  events tasks.\\*  cursor 0  crm`))
  expect(listed.stdout).not.toContain(secret)
  expect((await tandem(['webhooks', 'disable', id, ...db])).stdout).toContain(`${id}  disabled`)
  expect((await tandem(['webhooks', 'enable', id, ...db])).stdout).toContain(`${id}  enabled`)
  const rolled = await tandem(['webhooks', 'roll', id, ...db])
  expect(rolled.stdout).toMatch(/previous secret keeps signing until \d{4}-/)
  expect(rolled.stdout.match(/whsec_\S+/)![0]).not.toBe(secret)
  expect((await tandem(['webhooks', 'deliveries', id, ...db])).stdout).toContain('No delivery attempts yet.')
  expect((await tandem(['webhooks', 'delete', id, ...db])).stdout).toContain(`Deleted ${id}`)
  expect((await tandem(['webhooks', 'list', ...db])).stdout).toContain('No webhook endpoints.')

  // Refusals are typed errors printed as one line, exit 1; a bad invocation prints the usage, exit 2.
  await expect(tandem(['webhooks', 'create', '--url', 'https://127.0.0.1/hook', ...db])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/loopback address: refused/),
  })
  await expect(tandem(['webhooks', 'enable', 'we_nope', ...db])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('No webhook endpoint we_nope'),
  })
  await expect(tandem(['webhooks', 'create', ...db])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: tandem webhooks') })
})

it('an endpoint created by the CLI is picked up by a running tandem serve on the same database and delivered', async () => {
  const dbPath = join(dir, 'serve.db')
  const key = 'sk_test_cli_webhooks'
  const received: Array<{ type: string; objectId: string }> = []
  let secret = ''
  let signal: () => void = () => {}
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      verify(secret, req.headers as Record<string, string>, body)
      received.push(...(JSON.parse(body) as { data: Array<{ type: string; objectId: string }> }).data)
      res.writeHead(204).end()
      signal()
    })
  }).listen(0, '127.0.0.1')
  await once(receiver, 'listening')
  const port = (receiver.address() as { port: number }).port
  const server = await spawnProcess(
    [join(root, 'cli/src/bin.ts'), 'serve', '--database-url', `sqlite:${dbPath}`, '--port', '0', '--allow-private-webhook-urls'],
    {
      cwd: root,
      env: { TANDEM_SECRET_KEYS: key },
    },
  )
  try {
    const created = await tandem(['webhooks', 'create', '--url', `http://127.0.0.1:${port}/hook`, '--allow-private-urls', '--database-url', `sqlite:${dbPath}`])
    secret = created.stdout.match(/whsec_\S+/)![0]
    const id = created.stdout.match(/we_[0-9a-f]{32}/)![0]
    const arrived = new Promise<void>((r) => (signal = r))
    const res = await fetch(`${server.url}/v1/commits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operations: [{ op: 'create', model: 'tasks', id: 'from-cli', data: { title: 'hello', status: 'todo' } }] }),
    })
    expect(res.status).toBe(200)
    await arrived
    expect(received).toMatchObject([{ type: 'tasks.created', objectId: 'from-cli' }])
    const listed = await fetch(`${server.url}/v1/webhook_endpoints/${id}`, { headers: { authorization: `Bearer ${key}` } })
    expect(((await listed.json()) as { url: string }).url).toBe(`http://127.0.0.1:${port}/hook`)
  } finally {
    await server.kill()
    receiver.close()
  }
})
