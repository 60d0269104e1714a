/**
 * The Python receiver (examples/python/webhook_receiver.py, stdlib only) verifies every delivery of 1,000 changes,
 * in order and none missing, across a stretch where it is down. Skipped until that script exists in the tree.
 * Its contract: `--port 0 --secret whsec_… --out FILE`, prints `listening on http://127.0.0.1:PORT` once bound,
 * appends each new event (deduped by id) to FILE as one JSON line and fsyncs before answering 2xx, 401 on a bad signature.
 * TANDEM_PYTHON_RECEIVER=path runs it against another script with the same contract.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { signedHeaders } from '@tandem/webhooks/signing'
import { expect, it } from 'vitest'
import { defer, start } from './harness.ts'

const script = process.env['TANDEM_PYTHON_RECEIVER'] ?? resolve(import.meta.dirname, '../../examples/python/webhook_receiver.py')

function startReceiver(port: number, secret: string, out: string): Promise<{ proc: ChildProcess; port: number; stop(): Promise<void> }> {
  const proc = spawn('python3', [script, '--port', String(port), '--secret', secret, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
    await exited
  }
  return new Promise((resolvePort, reject) => {
    let text = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`python receiver did not start:\n${text}\n${err}`)), 15_000)
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    proc.stdout!.on('data', (d: Buffer) => {
      text += d.toString()
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)
      if (!m) return
      clearTimeout(timer)
      resolvePort({ proc, port: Number(m[1]), stop })
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`python receiver exited with ${code}:\n${text}\n${err}`))
    })
  })
}

const stored = (out: string): Array<{ id: string; syncId: number }> =>
  existsSync(out)
    ? readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : []

it.skipIf(!existsSync(script))('the Python receiver stores 1,000 changes in order, none missing, after being down for part of the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-py-receiver-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  const out = join(dir, 'events.jsonl')
  const { http, commit, attempts } = await start({ retrySchedule: [0, 50, 100, 200, 200, 200, 200, 200], maxBatchEvents: 50 })

  // The endpoint needs the receiver's URL and the receiver needs the endpoint's secret: create it disabled, then point it.
  const created = await http('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/', status: 'disabled' })
  const secret = created.body.secret as string
  let receiver = await startReceiver(0, secret, out)
  defer(() => receiver.stop())
  const url = `http://127.0.0.1:${receiver.port}/`
  await http('PATCH', `/v1/webhook_endpoints/${created.body.id}`, { url, status: 'enabled' })

  // A forged request is refused with 401.
  const body = '{"data":[]}'
  const forged = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...signedHeaders('whsec_' + btoa('x'.repeat(32)), body) },
  })
  expect(forged.status).toBe(401)

  const writing = (async () => {
    for (let i = 0; i < 250; i++)
      await commit(
        { op: 'create', model: 'tasks', id: `t${i}`, data: { title: `task ${i}` } },
        { op: 'create', model: 'notes', id: `n${i}`, data: { text: `note ${i}` } },
        { op: 'update', model: 'tasks', id: `t${i}`, data: { status: 'doing' } },
        { op: 'delete', model: 'notes', id: `n${i}` },
      )
  })()
  // Down once the first deliveries were stored: the retries meet a closed port until it comes back on the same one.
  await attempts.until(() => attempts.of(created.body.id).filter((a) => a.ok).length >= 3)
  await receiver.stop()
  const failed = attempts.of(created.body.id).filter((a) => !a.ok).length
  await attempts.until(() => attempts.of(created.body.id).filter((a) => !a.ok).length >= failed + 2)
  receiver = await startReceiver(Number(new URL(url).port), secret, out)
  await writing
  const log = (await http('GET', '/v1/changes?after=0&limit=1000')).body.data as Array<{ syncId: number; changes: unknown[] }>
  await attempts.until(() => attempts.of(created.body.id).some((a) => a.ok && a.lastSyncId === log.at(-1)!.syncId), 60_000)

  const expected = log.flatMap((entry) => entry.changes.map((_, i) => `evt_${entry.syncId}_${i}`))
  expect(expected).toHaveLength(1000)
  expect(stored(out).map((e) => e.id)).toEqual(expected)
})
