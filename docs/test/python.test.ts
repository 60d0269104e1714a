/**
 * @module Runs the ```python blocks of `docs/http-api.md` with `python3`
 * (standard library only) against a real server on a free port, passing
 * `TANDEM_URL` and `TANDEM_API_KEY`. The server uses the dev server's schema,
 * which the page's examples are written for.
 */
import { spawn } from 'node:child_process'
import { defineSchema, model, z } from '@tandem/core/schema'
import { createServer, memoryStore } from '@tandem/core/server'
import { describe, expect, it } from 'vitest'
import { readPage, samples } from './markdown.ts'

/** The schema of `tandem dev` (cli/src/demo-schema.ts). */
const schema = defineSchema({
  tasks: model({
    title: z.string().min(1).max(500),
    status: z.enum(['todo', 'doing', 'done']).default('todo'),
    assignee: z.string().nullable().optional(),
    notes: z.string().max(10_000).optional(),
  }),
})

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Run `source` with `python3 -`; asynchronous, so the server in this process keeps answering. */
function python(source: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-'], { env: { ...process.env, ...env, PYTHONUNBUFFERED: '1' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => (clearTimeout(timer), reject(error)))
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
    child.stdin.end(source)
  })
}

const page = 'http-api.md'
const blocks = samples(readPage(page), 'python')

describe('python samples', () => {
  it(`${page} has python samples`, () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  for (const block of blocks) {
    it(`${page} python block ${block.n} (line ${block.line})`, async () => {
      const server = await createServer({ schema, store: memoryStore(), port: 0 })
      try {
        const run = await python(block.code, { TANDEM_URL: server.url, TANDEM_API_KEY: server.secretKey })
        expect(run.code, `python3 exited with ${run.code}\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`).toBe(0)
        if (block.output !== undefined) expect(run.stdout, 'printed output').toBe(block.output)
      } finally {
        await server.close()
      }
    })
  }
})
