/** @module POST /v1/commits, the way any backend would call it. */

export type CreateOperation = { op: 'create'; model: 'tasks'; id?: string; data: Record<string, unknown> }

/** One commit over HTTP; throws on a non-2xx answer. */
export async function postCommit(url: string, key: string, operations: CreateOperation[]): Promise<void> {
  const res = await fetch(`${url}/v1/commits`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operations }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`bench: POST /v1/commits answered ${res.status}: ${text.slice(0, 300)}`)
}
