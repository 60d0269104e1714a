/** @module A small static file handler for the built page (no directory listings, nothing outside the folder). */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import type { Handler } from 'hono'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
}

export function serveDir(dir: string): Handler {
  const root = normalize(dir + sep)
  return (c, next) => {
    const path = decodeURIComponent(c.req.path)
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      if (path === '/') return c.text('The playground is not built: run `npm start` from the repository (it builds it).', 503)
      return next()
    }
    // Hashed asset names never change content; the page itself is always revalidated.
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    return c.body(readFileSync(file), 200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': cache })
  }
}
