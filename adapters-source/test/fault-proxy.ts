/**
 * @module Test helper: an HTTP proxy in front of the Python Data Source that
 * forwards requests untouched, or (per request type) answers garbage after
 * forwarding, or refuses without forwarding.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type FaultMode =
  /** Forward and return the endpoint's answer. */
  | 'pass'
  /** Forward (so the endpoint applies it), then answer 200 with a body that is not JSON. */
  | 'not-json'
  /** Forward, then answer 200 with JSON of the wrong shape. */
  | 'wrong-shape'
  /** Do not forward; answer 502 with an HTML page (a broken gateway). */
  | 'html-502'
  /** Do not forward; refuse in the error envelope (422 invalid_data). */
  | 'refuse'

export interface FaultProxy {
  url: string
  modes: Partial<Record<'load' | 'list' | 'commit', FaultMode>>
  close(): Promise<void>
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const modes: FaultProxy['modes'] = {}
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString()
    const type = (JSON.parse(body) as { type: 'load' | 'list' | 'commit' }).type
    const mode = modes[type] ?? 'pass'
    if (mode === 'html-502') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>')
    if (mode === 'refuse') {
      const envelope = { error: { type: 'TandemValidationError', code: 'invalid_data', message: 'The Data Source does not accept this title' } }
      return void res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify(envelope))
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) headers[h] = String(req.headers[h])
    const upstream = await fetch(target, { method: 'POST', headers, body })
    const text = await upstream.text()
    if (mode === 'not-json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"rows": [ this is not json')
    if (mode === 'wrong-shape') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows: 'nope', row: 42 }))
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    modes,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}
