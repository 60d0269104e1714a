/**
 * @module Fan-out to 1,000 subscribers, and connecting 1,000 of them.
 *
 * The subscribers are raw protocol clients (`lib/protocol-client.ts`: the
 * `ws` package, hello frame, then read frames; no zod, no local graph), not
 * 1,000 `Tandem()` clients: on one client thread, 1,000 full clients would
 * measure the clients' own parsing and graph updates (tens of µs each, one
 * after the other) rather than the server. The relay's 1,000 receivers are
 * `ws` sockets too and do the same work per message (one string check).
 *
 * Connect: from the first socket opened until all 1,000 are `synced`
 * (WebSocket handshake, hello, authentication, welcome, bootstrap of an
 * empty project, synced), opened 100 at a time; baseline: until 1,000
 * relay sockets are open, opened the same way.
 * Fan-out: one `create()` by a Tandem client until the last (and first)
 * subscriber has the frame carrying it; baseline: one frame through the
 * relay to 1,000 sockets.
 */
import { join } from 'node:path'
import type WebSocket from 'ws'
import { closeClients, openClients, type BenchClient } from '../lib/clients.ts'
import { loadMeter } from '../lib/load.ts'
import { closeAll, connectProtocol, openMany, openWs, type ProtocolClient } from '../lib/protocol-client.ts'
import { taskData } from '../lib/schema.ts'
import { median, now, pause, percentile, withDeadline } from '../lib/stats.ts'
import type { Result, Scenario } from '../lib/types.ts'
import { spawnServer } from '../servers/spawn.ts'

const subscribers = 1000
const concurrency = 100

/** Counts arrivals of the frame that contains `marker` across all subscribers. */
class Arrivals {
  #marker = ''
  #remaining = 0
  #first = 0
  #last = 0
  #done: (() => void) | undefined

  /** The handler every subscriber calls with each text frame. */
  readonly onText = (text: string): void => {
    if (this.#remaining === 0 || !text.includes(this.#marker)) return
    const t = now()
    if (this.#first === 0) this.#first = t
    this.#last = t
    if (--this.#remaining === 0) this.#done?.()
  }

  /** Run `send`, resolve with [first, last] ms after it once `count` subscribers have the frame with `marker`. */
  async sample(marker: string, count: number, send: () => void): Promise<[number, number]> {
    this.#marker = marker
    this.#remaining = count
    this.#first = 0
    const all = new Promise<void>((resolve) => (this.#done = resolve))
    const start = now()
    send()
    await withDeadline(all, 20_000, `fan-out of ${marker}`)
    return [this.#first - start, this.#last - start]
  }
}

export const fanout1k: Scenario = {
  name: 'fanout1k',
  title: `connect ${subscribers} subscribers, and one write to all of them (raw protocol clients)`,
  async run(o) {
    const reps = o.quick ? 3 : 5
    const samples = o.quick ? 40 : 200
    const warmup = 5
    const timeCapMs = o.quick ? 15_000 : 60_000
    const tandem = await spawnServer({ kind: 'tandem', dbPath: join(o.tmpDir, 'fanout1k.db') })
    const relay = await spawnServer({ kind: 'relay' })
    let subs: ProtocolClient[] = []
    let receivers: WebSocket[] = []
    let writer: BenchClient[] = []
    let sender: WebSocket | undefined
    try {
      // Connect: interleaved relay / Tandem; the last set stays open for the fan-out.
      const connectT: number[] = []
      const connectB: number[] = []
      const connectLoad = loadMeter(tandem)
      for (let r = 0; r < reps; r++) {
        await closeAll(receivers)
        await closeAll(subs)
        await pause(200)
        let t0 = now()
        receivers = await openMany(subscribers, concurrency, () => openWs(relay.url))
        connectB.push(now() - t0)
        await pause(200)
        t0 = now()
        subs = await connectLoad.measure(() => openMany(subscribers, concurrency, () => connectProtocol(tandem.url, tandem.secretKey, null)))
        connectT.push(now() - t0)
      }
      o.log(
        `fanout1k: connected ${subscribers} subscribers in ${connectT.map((x) => x.toFixed(0)).join(', ')} ms (relay ${connectB.map((x) => x.toFixed(0)).join(', ')} ms)`,
      )

      // Fan-out.
      writer = await openClients(tandem, 1)
      sender = await openWs(relay.url)
      const arrivals = new Arrivals()
      for (const s of subs) s.onText = arrivals.onText
      for (const ws of receivers) ws.on('message', (d: WebSocket.RawData) => arrivals.onText(d.toString()))
      const t: Array<[number, number]> = []
      const b: Array<[number, number]> = []
      const load = loadMeter(tandem)
      const deadline = now() + timeCapMs
      for (let i = 0; i < warmup + samples && now() < deadline; i++) {
        const id = `fan1k-${i}`
        const ts = await load.measure(() => arrivals.sample(`"${id}"`, subscribers, () => void writer[0]!.tasks.create({ id, data: taskData(i) })))
        await pause(5)
        const frame = JSON.stringify({ type: 'changes', entries: [{ syncId: i, changes: [{ model: 'tasks', id, op: 'create', data: taskData(i) }] }] })
        const bs = await arrivals.sample(`"${id}"`, subscribers, () => sender!.send(frame))
        await pause(5)
        if (i < warmup) continue
        t.push(ts)
        b.push(bs)
      }
      o.log(`fanout1k: ${t.length} samples each`)
      const last = (xs: Array<[number, number]>) => xs.map((x) => x[1])
      const first = (xs: Array<[number, number]>) => xs.map((x) => x[0])
      const fan50 = percentile(last(t), 50)
      const fanBase50 = percentile(last(b), 50)
      const connect = median(connectT)
      const connectBase = median(connectB)
      const results: Result[] = [
        {
          scenario: 'fanout1k',
          metric: `connect + bootstrap ${subscribers} subscribers, median`,
          unit: 'ms',
          better: 'lower',
          tandem: connect,
          baseline: connectBase,
          note: `${reps} round(s), ${concurrency} connecting at a time; Tandem: handshake, hello with the secret key, welcome, bootstrap (empty project), synced, timed until the last is synced; relay: until the last socket is open; during Tandem ${connectLoad.describe()}`,
          target: { goal: 'within 2× relay connect', met: connect <= 2 * connectBase },
        },
        {
          scenario: 'fanout1k',
          metric: `write → last of ${subscribers} has it, p50`,
          unit: 'ms',
          better: 'lower',
          tandem: fan50,
          baseline: fanBase50,
          note: `${t.length} writes by a Tandem client to ${subscribers} raw protocol clients (ws package, one string check per frame, all on the main thread; server in its own thread); Tandem's time includes the durable commit; during Tandem samples ${load.describe()}`,
          target: { goal: 'within 2× relay', met: fan50 <= 2 * fanBase50 },
        },
        {
          scenario: 'fanout1k',
          metric: `write → last of ${subscribers} has it, p99`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(last(t), 99),
          baseline: percentile(last(b), 99),
        },
        {
          scenario: 'fanout1k',
          metric: `write → first of ${subscribers} has it, p50`,
          unit: 'ms',
          better: 'lower',
          tandem: percentile(first(t), 50),
          baseline: percentile(first(b), 50),
        },
      ]
      return results
    } finally {
      await closeAll(sender ? [...receivers, sender] : receivers)
      await closeAll(subs)
      await closeClients(writer)
      await Promise.all([tandem.close(), relay.close()])
    }
  },
}
