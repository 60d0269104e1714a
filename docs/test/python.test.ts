/**
 * @module Runs the ```python blocks of every `docs/*.md` page with `python3`
 * (standard library only) against a real server on a free port, passing
 * `TANDEM_URL` and `TANDEM_API_KEY` (the server's secret key), with
 * `examples/python` on `PYTHONPATH` (so a sample can `import tandem_client`).
 * The server uses the dev server's schema, which the pages' examples are written for.
 * Also runs `examples/python/claim_worker.py` against a server where one
 * task is held by someone else and another loses its claim mid-work.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import Tandem from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { docPages, readPage, repoRoot, samples } from './markdown.ts'
import { devSchema, examplesDir } from './python-process.ts'

const schema = devSchema

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Run `python3 args…` with `stdin`; asynchronous, so the server in this process keeps answering. */
function python(args: string[], stdin: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { env: { ...process.env, PYTHONPATH: examplesDir, ...env, PYTHONUNBUFFERED: '1' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => (clearTimeout(timer), reject(error)))
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
    child.stdin.end(stdin)
  })
}

const report = (run: Run) => `python3 exited with ${run.code}\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`

const pages = docPages()
  .map((page) => ({ page, blocks: samples(readPage(page), 'python') }))
  .filter(({ blocks }) => blocks.length > 0)

describe('python samples', () => {
  it('the HTTP API, claims, identity and Python pages have python samples', () => {
    expect(pages.map((p) => p.page)).toEqual(expect.arrayContaining(['http-api.md', 'claims.md', 'identity.md', 'python.md']))
  })

  for (const { page, blocks } of pages) {
    for (const block of blocks) {
      it(`${page} python block ${block.n} (line ${block.line})`, async () => {
        const server = await createServer({ schema, store: memoryStore(), port: 0 })
        try {
          const run = await python(['-'], block.code, { TANDEM_URL: server.url, TANDEM_API_KEY: server.secretKey })
          expect(run.code, report(run)).toBe(0)
          if (block.output !== undefined) expect(run.stdout, 'printed output').toBe(block.output)
        } finally {
          await server.close()
        }
      })
    }
  }
})

describe('examples/python/claim_worker.py', () => {
  const worker = join(repoRoot, 'examples', 'python', 'claim_worker.py')

  it('processes todo tasks under claims: skips held ones, survives a lease shorter than the work, discards work whose claim was lost', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const auth = { authorization: `Bearer ${server.secretKey}` }
    const ada = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, participant: { kind: 'human', name: 'ada' } })
    try {
      await ada.ready()
      await ada.tasks.create({ id: 'a-lost', data: { title: 'Lose the claim midway' } })
      await ada.tasks.create({ id: 'b-slow', data: { title: 'Work longer than the lease' } })
      await ada.tasks.create({ id: 'c-held', data: { title: 'Held by a person' } })
      await ada.tasks.create({ id: 'd-done', data: { title: 'Already finished', status: 'done' } })
      const held = await ada.tasks.claim({ id: 'c-held', action: 'editing' })

      // An administrator ends the worker's claim on the first task while it works.
      const admin = (async () => {
        const claim = await until(ada, (t) => t.tasks.claim.state({ id: 'a-lost' }), 20_000)
        const res = await fetch(`${server.url}/v1/claims/${claim.id}`, { method: 'DELETE', headers: auth })
        expect(res.status).toBe(200)
      })()

      // Lease 600 ms, work 1.2 s: only the heartbeat keeps b-slow's claim alive.
      const run = await python([worker, '--once'], '', {
        TANDEM_URL: server.url,
        TANDEM_API_KEY: server.secretKey,
        CLAIM_TTL_MS: '600',
        WORK_SECONDS: '1.2',
      })
      await admin
      expect(run.code, report(run)).toBe(0)
      expect(run.stdout.trim().split('\n')).toEqual([
        'claimed a-lost',
        'lost a-lost: claim ended during the work; result discarded',
        'claimed b-slow',
        expect.stringMatching(/^done b-slow at syncId \d+: 5 words; starts with 'Work'$/),
        'skip c-held: held by human ada: editing',
      ])
      await held.release()

      const rows = await ada.tasks.list({ orderBy: { id: 'asc' } })
      expect(rows.map((r) => [r.id, r.status, r.notes ?? null])).toEqual([
        ['a-lost', 'todo', null],
        ['b-slow', 'done', "5 words; starts with 'Work'"],
        ['c-held', 'todo', null],
        ['d-done', 'done', null],
      ])
      // The worker released everything it took, and the log says who held what.
      const active = (await (await fetch(`${server.url}/v1/claims/active`, { headers: auth })).json()) as { data: unknown[] }
      expect(active.data).toEqual([])
      const log = (await (await fetch(`${server.url}/v1/changes?after=0`, { headers: auth })).json()) as {
        data: Array<{ actor: { name?: string }; claim?: { event: string; state: { target: { id: string } } } }>
      }
      const events = log.data.filter((e) => e.claim && e.actor.name === 'claim-worker').map((e) => `${e.claim!.event} ${e.claim!.state.target.id}`)
      expect(events).toEqual(['granted a-lost', 'released a-lost', 'granted b-slow', 'released b-slow'])
    } finally {
      await ada.dispose()
      await server.close()
    }
  }, 60_000)
})
