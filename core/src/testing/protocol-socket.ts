/** @module A raw protocol socket for tests: frames as they arrive, `next(pred)` to await one, `rpc` to call a method. */

/** A frame as the server sent it (tests read fields freely). */
export type AnyFrame = any

export interface ProtocolSocket {
  ws: WebSocket
  /** Resolves with the first frame (received or still to come) that `pred` accepts, and takes it off the list. */
  next(pred: (frame: AnyFrame) => boolean): Promise<AnyFrame>
  /** Sends an `rpc` frame and resolves with its `result` frame. */
  rpc(method: string, params: unknown): Promise<AnyFrame>
  send(frame: unknown): void
  opened: Promise<unknown>
  closed: Promise<CloseEvent>
}

/**
 * Open `/v1/sync` at `baseURL` with the protocol's subprotocol; nothing is sent yet.
 * @example
 * const s = openProtocolSocket(server.url)
 * await s.opened
 * s.send({ type: 'hello', protocol: 1, token: server.secretKey, cursor: null })
 * await s.next((f) => f.type === 'synced')
 */
export function openProtocolSocket(baseURL: string): ProtocolSocket {
  const ws = new WebSocket(baseURL.replace('http', 'ws') + '/v1/sync', 'tandem.v1')
  const frames: AnyFrame[] = []
  const waiters: Array<() => void> = []
  ws.onmessage = (e) => {
    frames.push(JSON.parse(String(e.data)))
    waiters.splice(0).forEach((w) => w())
  }
  const closed = new Promise<CloseEvent>((r) => (ws.onclose = r))
  const opened = new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)))
  opened.catch(() => undefined) // a socket meant to fail need not await it
  const next = async (pred: (f: AnyFrame) => boolean) => {
    for (;;) {
      const i = frames.findIndex(pred)
      if (i >= 0) return frames.splice(i, 1)[0]
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  const send = (frame: unknown) => ws.send(JSON.stringify(frame))
  let id = 0
  const rpc = async (method: string, params: unknown) => {
    const mine = ++id
    send({ type: 'rpc', id: mine, method, params })
    return next((f) => f.type === 'result' && f.id === mine)
  }
  return { ws, next, rpc, send, opened, closed }
}
