/** @module Test helper for the cluster must-shows: commits over HTTP spread over nodes, and raw sockets that record the syncIds they receive. */
import { clusterKey } from './cluster.ts'

const headers = { authorization: `Bearer ${clusterKey}`, 'content-type': 'application/json' }
export const title = (i: number) => `commit ${i}`

export interface Acked {
  id: string
  syncId: number
}

/**
 * POST commits `indexes` (one create each, Idempotency-Key `load-<i>`) as one `/v1/commits/batch`:
 * each gets its own syncId. Null when no answer came back (the node died): nothing of it is acknowledged.
 */
export async function postBatch(url: string, indexes: number[]): Promise<Acked[] | null> {
  let res: Response
  let body: { results: Array<{ object: string; syncId: number; rows: Array<{ id: string }> }> }
  try {
    res = await fetch(`${url}/v1/commits/batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        commits: indexes.map((i) => ({ idempotencyKey: `load-${i}`, operations: [{ op: 'create', model: 'tasks', data: { title: title(i), points: i } }] })),
      }),
    })
    body = (await res.json()) as typeof body
  } catch {
    return null
  }
  const refused = body.results?.find((r) => r.object !== 'commit')
  if (res.status !== 200 || refused) throw new Error(`batch on ${url}: HTTP ${res.status} ${JSON.stringify(refused ?? body)}`)
  return body.results.map((r) => ({ id: r.rows[0]!.id, syncId: r.syncId }))
}

/**
 * Send commits 0..total-1 in batches of `batchSize` through `writers` concurrent writers, writer `w` on node
 * `w % urls.length`. A batch that got no answer is sent again, with the same Idempotency-Keys, to the next
 * node of the list, so each commit lands once. `urls()` is read at each attempt (the test may take a node out).
 */
export async function spreadCommits(
  urls: () => string[],
  total: number,
  { writers, batchSize, onAck = () => {} }: { writers: number; batchSize: number; onAck?: (i: number, a: Acked) => void },
): Promise<Map<number, Acked>> {
  const acked = new Map<number, Acked>()
  let next = 0
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let node = w
      while (next < total) {
        const indexes = Array.from({ length: Math.min(batchSize, total - next) }, (_, k) => next + k)
        next += indexes.length
        for (let attempt = 0; ; attempt++) {
          if (attempt > 50) throw new Error(`commits from ${indexes[0]}: no node answered`)
          const list = urls()
          const results = await postBatch(list[node % list.length]!, indexes)
          if (results) {
            results.forEach((a, k) => (acked.set(indexes[k]!, a), onAck(indexes[k]!, a)))
            break
          }
          node++
        }
      }
    }),
  )
  return acked
}

/** A raw `/v1/sync` socket from the log's start: every syncId it receives, in order; `reached(n)` once it saw syncId n. */
export function recordingSocket(url: string) {
  const seen: number[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  const ws = new WebSocket(url.replace('http', 'ws') + '/v1/sync', 'tandem.v1')
  const opened = new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)))
  ws.onmessage = (e) => {
    const frame = JSON.parse(String(e.data)) as { type: string; entries?: Array<{ syncId: number }> }
    if (frame.type !== 'changes') return
    for (const entry of frame.entries!) seen.push(entry.syncId)
    const last = seen.at(-1) ?? 0
    for (const w of waiters.filter((w) => last >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  }
  const ready = opened.then(() => ws.send(JSON.stringify({ type: 'hello', protocol: 1, token: clusterKey, cursor: 0 })))
  const reached = (n: number, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if ((seen.at(-1) ?? 0) >= n) return resolve()
      const timer = setTimeout(() => reject(new Error(`socket on ${url} saw ${seen.length} entries, last ${seen.at(-1)}`)), timeoutMs)
      waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
    })
  return { seen, ready, reached, close: () => ws.close() }
}

/** Every page of a list/changes endpoint. */
export async function readAll<T>(url: string, path: string, page: (body: any) => { items: T[]; next: string | null }): Promise<T[]> {
  const out: T[] = []
  for (let query: string | null = ''; query !== null;) {
    const res = await fetch(`${url}${path}${query}`, { headers })
    const { items, next } = page(await res.json())
    out.push(...items)
    query = next
  }
  return out
}
