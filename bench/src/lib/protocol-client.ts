/**
 * @module Raw WebSocket clients (the `ws` package) for scenarios with many
 * connections on the one client thread: a minimal Tandem protocol client
 * (hello frame, then read frames; no validation, no local graph) and plain
 * sockets for the relay baselines, opened with bounded concurrency.
 */
import WebSocket from 'ws'
import { now, withDeadline } from './stats.ts'

/** `http://host:port` → `ws://host:port/v1/sync` */
export const syncUrl = (baseURL: string): string => `${baseURL.replace(/^http/, 'ws')}/v1/sync`

export interface ProtocolClient {
  readonly ws: WebSocket
  /** syncId of the `synced` frame that ended catch-up. */
  readonly syncId: number
  /** Log entries received in `changes` frames during catch-up. */
  readonly entries: number
  /** Bytes received until `synced`. */
  readonly bytes: number
  /** Milliseconds from opening the socket to `synced`. */
  readonly ms: number
  /** Every frame after `synced` that is not an rpc result, as text. */
  onText: ((text: string) => void) | undefined
  /** Send an rpc frame; resolves with its result's value, rejects with its error. */
  rpc(method: string, params: unknown): Promise<unknown>
  close(): void
}

/**
 * Open a socket, send `hello` (with `cursor`, or null to bootstrap), parse
 * every frame until `synced` (JSON.parse only) and resolve then.
 */
export function connectProtocol(baseURL: string, token: string, cursor: number | null, timeoutMs = 60_000): Promise<ProtocolClient> {
  const start = now()
  const ws = new WebSocket(syncUrl(baseURL), 'tandem.v1', { perMessageDeflate: false })
  let entries = 0
  let bytes = 0
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>()
  let nextId = 1
  const client = new Promise<ProtocolClient>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, token, cursor })))
    ws.on('error', reject)
    ws.on('close', (code, reason) => {
      reject(new Error(`bench: server closed the protocol client (${code} ${reason.toString()})`))
      for (const p of pending.values()) p.reject(new Error('bench: socket closed'))
      pending.clear()
    })
    const catchUp = (data: WebSocket.RawData) => {
      const text = data.toString()
      bytes += text.length
      const frame = JSON.parse(text) as { type: string; entries?: unknown[]; syncId?: number; error?: { message: string } }
      if (frame.type === 'changes') entries += frame.entries!.length
      else if (frame.type === 'error') reject(new Error(`bench: server error frame: ${frame.error?.message}`))
      else if (frame.type === 'synced') {
        ws.off('message', catchUp)
        const c: ProtocolClient = {
          ws,
          syncId: frame.syncId!,
          entries,
          bytes,
          ms: now() - start,
          onText: undefined,
          rpc(method, params) {
            const id = nextId++
            return new Promise((res, rej) => {
              pending.set(id, { resolve: res, reject: rej })
              ws.send(JSON.stringify({ type: 'rpc', id, method, params }))
            })
          },
          close: () => ws.close(),
        }
        ws.on('message', (d: WebSocket.RawData) => {
          const t = d.toString()
          if (t.startsWith('{"type":"result"')) {
            const r = JSON.parse(t) as { id: number; ok: boolean; value?: unknown; error?: { code: string; message: string } }
            const p = pending.get(r.id)
            if (!p) return
            pending.delete(r.id)
            if (r.ok) p.resolve(r.value)
            else p.reject(new Error(`bench: rpc failed: ${r.error?.code}: ${r.error?.message}`))
          } else c.onText?.(t)
        })
        resolve(c)
      }
    }
    ws.on('message', catchUp)
  })
  client.catch(() => ws.terminate())
  return withDeadline(client, timeoutMs, 'protocol client catch-up')
}

/** A plain `ws` socket, open. */
export function openWs(url: string, timeoutMs = 30_000): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  const opened = new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
  opened.catch(() => ws.terminate())
  return withDeadline(opened, timeoutMs, `opening ${url}`)
}

/** Run `open(i)` for i < count with at most `concurrency` in flight; results in index order. */
export async function openMany<T>(count: number, concurrency: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const i = next++
      out[i] = await open(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return out
}

/** Close sockets and wait (bounded) until the close handshakes are done. */
export async function closeAll(sockets: ReadonlyArray<ProtocolClient | WebSocket>, timeoutMs = 5000): Promise<void> {
  const list = sockets.map((s) => (s instanceof WebSocket ? s : s.ws))
  const closed = list.map((ws) =>
    ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => (ws.once('close', () => resolve()), ws.close())),
  )
  await withDeadline(Promise.all(closed), timeoutMs, 'closing sockets').catch(() => {
    for (const ws of list) ws.terminate()
  })
}
