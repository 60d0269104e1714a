/** @module Plain WebSocket clients (the same global WebSocket the Tandem client uses in Node) for the relay baselines. */
import { taskData } from './schema.ts'
import { now, withDeadline } from './stats.ts'

export function openSocket(url: string, timeoutMs = 10_000): Promise<WebSocket> {
  const ws = new WebSocket(url)
  return withDeadline(
    new Promise<WebSocket>((resolve, reject) => {
      ws.onopen = () => resolve(ws)
      ws.onerror = () => reject(new Error(`bench: could not open ${url}`))
    }),
    timeoutMs,
    `opening ${url}`,
  )
}

export async function openSockets(url: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  for (let i = 0; i < count; i += 25) sockets.push(...(await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => openSocket(url)))))
  return sockets
}

export function closeSockets(sockets: readonly WebSocket[]): void {
  for (const s of sockets) s.close()
}

/** Resolve with the next text message `socket` receives. */
export function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.onmessage = (event: MessageEvent) => {
      socket.onmessage = null
      resolve(event.data as string)
    }
  })
}

/** One hop's time: `frame` sent on socket `a` until socket `b` receives its next message. */
export async function hopSample(a: WebSocket, b: WebSocket, frame: string): Promise<number> {
  const received = nextMessage(b)
  const start = now()
  a.send(frame)
  await withDeadline(received, 10_000, 'relay sample')
  return now() - start
}

/** A commit `rpc` frame about the size of the one a Tandem client sends for one create. */
export const commitFrame = (id: string, i: number): string =>
  JSON.stringify({
    type: 'rpc',
    id: i,
    method: 'commit',
    params: { operations: [{ op: 'create', model: 'tasks', id, data: taskData(i) }], txId: `tx-${i}`, idempotencyKey: `tx-${i}` },
  })
