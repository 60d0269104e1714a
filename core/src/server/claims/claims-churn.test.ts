import { afterEach, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { defineSchema, model, z } from '../../schema/index.ts'
import { createServer, type TandemServer } from '../create-server.ts'
import { memoryStore } from '../stores/memory-store.ts'
import { storeClaimCoordinator, storeClaimsBookkeeping } from './store-claims.ts'

const schema = defineSchema({ tasks: model({ title: z.string() }) })
let server: TandemServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

it('claims over HTTP and over sockets, churned on the store-backed coordinator, leave its bookkeeping empty', async () => {
  const store = memoryStore()
  const claims = storeClaimCoordinator(store)
  server = await createServer({ schema, store, port: 0, claimCoordinator: claims, claims: { disconnectGraceMs: 20 } })
  const { url, secretKey } = server
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as { id?: string } }
  }
  const rows = Array.from({ length: 30 }, (_, i) => `row-${i}`)
  expect((await call('POST', '/v1/commits', { operations: rows.map((id) => ({ op: 'create', model: 'tasks', id, data: { title: id } })) })).status).toBe(200)

  // HTTP: the owner is `http:<credential>`, which never disconnects. Claim and release every row; be refused on a held one.
  for (const id of rows) {
    const granted = await call('POST', '/v1/claims', { model: 'tasks', id, wait: false })
    expect(granted.status).toBe(200)
    expect((await call('POST', '/v1/claims', { model: 'tasks', id, wait: false })).status).toBe(409)
    expect((await call('DELETE', `/v1/claims/${granted.body.id}`)).status).toBe(200)
  }
  // Sockets: hold a claim, then go away without releasing it (the grace period ends it); half cut, half closed.
  for (let round = 0; round < 5; round++) {
    const sockets = await Promise.all(rows.slice(0, 5).map((_, k) => socketHolding(url, secretKey, rows[round * 5 + k]!)))
    sockets.forEach((ws, k) => (k % 2 ? ws.terminate() : ws.close()))
  }

  await vi.waitFor(() => expect(server!.connections).toBe(0), { timeout: 10_000 })
  await vi.waitFor(async () => expect(await claims.all()).toEqual([]), { timeout: 10_000 })
  await vi.waitFor(() => expect(storeClaimsBookkeeping(claims)).toEqual({ waiters: 0, seen: 0, rowOfWaiter: 0, expiryTimers: 0, owners: 0, joining: 0 }), {
    timeout: 10_000,
  })
})

/** A raw protocol socket: hello, wait for `synced`, claim `id`, resolve once granted. */
function socketHolding(url: string, token: string, id: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/sync`, 'tandem.v1')
  return new Promise((resolve, reject) => {
    ws.on('error', reject)
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, token, cursor: null })))
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; ok?: boolean }
      if (frame.type === 'synced') ws.send(JSON.stringify({ type: 'rpc', id: 1, method: 'claim', params: { model: 'tasks', id, action: 'churn' } }))
      if (frame.type === 'result') frame.ok ? resolve(ws) : reject(new Error(String(data)))
    })
  })
}
