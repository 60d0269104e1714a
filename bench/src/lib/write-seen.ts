/** @module One propagation sample: A creates a row; ms until B's local graph has it, and until A's write is confirmed. */
import type { BenchClient } from './clients.ts'
import { taskData } from './schema.ts'
import { now, withDeadline } from './stats.ts'

export async function writeSeen(a: BenchClient, b: BenchClient, id: string, i: number): Promise<{ seen: number; confirmed: number }> {
  let off = () => {}
  const seen = new Promise<number>((resolve) => {
    off = b.subscribe(
      (t) => t.tasks.get(id),
      (row) => row && resolve(now()),
    )
  })
  const start = now()
  const confirmed = a.tasks.create({ id, data: taskData(i) }).then(() => now())
  const [seenAt, confirmedAt] = await withDeadline(Promise.all([seen, confirmed]), 10_000, `propagation sample ${id}`)
  off()
  return { seen: seenAt - start, confirmed: confirmedAt - start }
}
