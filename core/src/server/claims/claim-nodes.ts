/**
 * @module Node liveness for claims shared in a store: each node beats a record
 * every third of `timeoutMs`; a node whose beat is older than `timeoutMs` is
 * taken for dead by the survivors, which drop its waiters from the lines
 * (nobody is left to hand their grant to). Its holders are not touched: they
 * run out by their own lease.
 */
import type { Store } from '../store.ts'

const nodeKind = 'claim_node'

interface Beat {
  seenAt: number
}

export interface NodeBeats {
  readonly nodeId: string
  /** Stop beating (the record stays and ages: the survivors reap this node's waiters once it is past the bound). */
  stop(): void
}

/** Beat for `nodeId`; call `reap(deadNodeIds)` when other nodes fell silent, then forget them once it resolved. */
export function startNodeBeats(store: Store, nodeId: string, timeoutMs: number, reap: (dead: ReadonlySet<string>) => Promise<void>): NodeBeats {
  let stopped = false
  let running: Promise<void> | null = null
  const beat = async () => {
    const now = Date.now()
    await store.putRecord(nodeKind, nodeId, { seenAt: now } satisfies Beat)
    const dead = new Set<string>()
    for (const r of await store.listRecords(nodeKind)) {
      // Clocks of nodes must agree to well within the bound: a node is judged by its own wall-clock stamp.
      if (r.id !== nodeId && (r.value as Beat).seenAt < now - timeoutMs) dead.add(r.id)
    }
    if (dead.size === 0 || stopped) return
    await reap(dead)
    // Only once its waiters are gone: a reaper that fails half-way leaves the record for the next round (any survivor's).
    for (const id of dead) await store.deleteRecord(nodeKind, id)
  }
  const tick = () => {
    if (stopped || running) return
    running = beat()
      .catch(() => undefined) // a store hiccup: the next beat tries again, well within the bound
      .finally(() => (running = null))
  }
  tick()
  const timer = setInterval(tick, Math.max(10, Math.floor(timeoutMs / 3)))
  timer.unref?.()
  return {
    nodeId,
    stop() {
      stopped = true
      clearInterval(timer)
    },
  }
}
