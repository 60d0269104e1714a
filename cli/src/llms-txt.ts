/** @module `GET /llms.txt`: the compact map of the public API (the repo's llms.txt), for agents reading a running server. */
import { existsSync, readFileSync } from 'node:fs'
import type { TandemServer } from '@tandem/core/server'

// The build copies llms.txt next to the bundle; on source it is the repo's own, two folders up.
const candidates = [new URL('./llms.txt', import.meta.url), new URL('../../llms.txt', import.meta.url)]

export function llmsTxt(): string | null {
  const file = candidates.find((url) => existsSync(url))
  return file ? readFileSync(file, 'utf8') : null
}

export function mountLlmsTxt(app: TandemServer['app']): void {
  const text = llmsTxt()
  if (text === null) return
  app.get('/llms.txt', (c) => c.text(text, 200, { 'cache-control': 'public, max-age=300' }))
}
