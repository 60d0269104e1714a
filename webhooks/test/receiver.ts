/** @module A webhook receiver for tests: verifies every request, keeps each event once, can fail, hang or go down on demand. */
import { Conditions } from './conditions.ts'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { verify } from '@tandem/webhooks/signing'
import type { WebhookEvent } from '@tandem/webhooks'

export type Behaviour = 'ok' | 'fail' | 'hang' | 'store-then-hang' | ((req: IncomingMessage, res: ServerResponse) => void)

export interface ReceivedRequest {
  headers: IncomingMessage['headers']
  body: string
  events: WebhookEvent[]
  verified: boolean
}

export class Receiver {
  /** Each event once, in the order first received. */
  readonly events: WebhookEvent[] = []
  /** Every verified request, in order. */
  readonly requests: ReceivedRequest[] = []
  /** Events seen again (same id), with the copy that came again. */
  readonly duplicates: WebhookEvent[] = []
  behaviour: Behaviour = 'ok'
  secrets: string[]
  private readonly byId = new Map<string, WebhookEvent>()
  private readonly conditions = new Conditions()
  private readonly sockets = new Set<Socket>()
  private server: Server | null = null
  port = 0

  constructor(secrets: string | string[] = []) {
    this.secrets = typeof secrets === 'string' ? [secrets] : secrets
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`
  }

  async up(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
    server.on('connection', (s) => {
      this.sockets.add(s)
      s.once('close', () => this.sockets.delete(s))
    })
    server.listen(this.port, '127.0.0.1')
    await once(server, 'listening')
    this.port = (server.address() as { port: number }).port
    this.server = server
    return this
  }

  /** Stop listening and cut every open connection (a receiver that is down). */
  async down(): Promise<void> {
    const server = this.server
    this.server = null
    if (!server) return
    for (const s of this.sockets) s.destroy()
    await new Promise((r) => server.close(r))
  }

  /** Resolve once `predicate()` holds, checked after every request; reject after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    return this.conditions.until(
      predicate,
      timeoutMs,
      () => `receiver: ${what} not met within ${timeoutMs} ms (${this.events.length} events, ${this.requests.length} requests)`,
    )
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const verified = this.secrets.length === 0 || this.secrets.some((s) => isValid(s, req.headers, body))
    const behaviour = this.behaviour
    let events: WebhookEvent[] = []
    if (!verified) {
      res.writeHead(401).end('bad signature')
    } else if (behaviour === 'hang') {
      // Never answer; the connection stays open until the sender gives up or the receiver goes down.
    } else if (behaviour === 'fail') {
      res.writeHead(500).end('failing on purpose')
    } else if (typeof behaviour === 'function') {
      behaviour(req, res)
    } else {
      // store-then-hang: the receiver keeps the events but its answer never arrives (a sender killed mid-delivery).
      events = (JSON.parse(body) as { data: WebhookEvent[] }).data
      for (const e of events) {
        if (this.byId.has(e.id)) this.duplicates.push(e)
        else {
          this.byId.set(e.id, e)
          this.events.push(e)
        }
      }
      if (behaviour !== 'store-then-hang') res.writeHead(204).end()
    }
    this.requests.push({ headers: req.headers, body, events, verified })
    this.conditions.changed()
  }

  /** The first stored copy of an event. */
  get(id: string): WebhookEvent | undefined {
    return this.byId.get(id)
  }
}

function isValid(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  try {
    verify(secret, headers as Record<string, string>, body)
    return true
  } catch {
    return false
  }
}
