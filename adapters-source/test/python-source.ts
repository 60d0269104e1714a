/** @module Test helper: run examples/python/data_source.py as a child process and read its SQLite file. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { DatabaseSync } from 'node:sqlite'

const script = resolve(import.meta.dirname, '../../examples/python/data_source.py')
export const testSecret = 'whsec_dGFuZGVtLXRlc3Qtc2VjcmV0LW9mLTMyLWJ5dGVzISE='

/** One JSON line the endpoint printed for a request it answered. */
export interface RequestLine {
  type: string | null
  status: number
  clientTxId?: string
  replay?: boolean
  code?: string
  held?: boolean
  delivered?: boolean
}

export interface PythonSource {
  url: string
  port: number
  dbPath: string
  proc: ChildProcess
  requests: RequestLine[]
  /** Resolves with the first logged request (past or future) that matches. */
  nextRequest(match: (r: RequestLine) => boolean): Promise<RequestLine>
  /** Rows the endpoint holds, straight from its SQLite file. */
  rows(model: string): Array<{ id: string; data: Record<string, unknown>; groups: string[] }>
  /** clientTxIds it recorded as applied. */
  commits(): string[]
  stop(): Promise<void>
}

export interface PythonSourceOptions {
  dbPath?: string
  secret?: string
  port?: number
  args?: string[]
}

export function startPythonSource(options: PythonSourceOptions = {}): Promise<PythonSource> {
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'tandem-ds-')), 'rows.db')
  const proc = spawn(
    process.env['PYTHON'] ?? 'python3',
    [script, '--port', String(options.port ?? 0), '--secret', options.secret ?? testSecret, '--db', dbPath, ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  const requests: RequestLine[] = []
  const waiters = new Set<{ match: (r: RequestLine) => boolean; resolve: (r: RequestLine) => void }>()
  let stderr = ''
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const lines = createInterface({ input: proc.stdout! })
  return new Promise((resolvePromise, reject) => {
    proc.once('exit', (code) => reject(new Error(`data_source.py exited with ${code}:\n${stderr}`)))
    lines.once('line', (url) => {
      lines.on('line', (line) => {
        const r = JSON.parse(line) as RequestLine
        requests.push(r)
        for (const w of waiters) if (w.match(r)) (waiters.delete(w), w.resolve(r))
      })
      const db = () => new DatabaseSync(dbPath)
      resolvePromise({
        url,
        port: Number(new URL(url).port),
        dbPath,
        proc,
        requests,
        nextRequest(match) {
          const seen = requests.find(match)
          if (seen) return Promise.resolve(seen)
          return new Promise((resolve) => waiters.add({ match, resolve }))
        },
        rows(model) {
          const d = db()
          try {
            return (
              d.prepare('SELECT id, data, groups FROM rows WHERE model = ? ORDER BY id').all(model) as Array<{ id: string; data: string; groups: string }>
            ).map((r) => ({
              id: r.id,
              data: JSON.parse(r.data),
              groups: JSON.parse(r.groups),
            }))
          } finally {
            d.close()
          }
        },
        commits() {
          const d = db()
          try {
            return (d.prepare('SELECT client_tx_id AS id FROM commits ORDER BY created_at, client_tx_id').all() as Array<{ id: string }>).map((r) => r.id)
          } finally {
            d.close()
          }
        },
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
          await exited
        },
      })
    })
  })
}
