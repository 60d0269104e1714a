/** @module Fill a server with rows through the public API: `POST /v1/commits` of 500 creates (the per-commit maximum). */
import type { ServerHandle } from '../servers/spawn.ts'
import { postCommit, type CreateOperation } from './http.ts'
import { seededId, taskData } from './schema.ts'

/** Create rows `from` … `to - 1` (ids from `seededId`). */
export async function seedRows(server: Pick<ServerHandle, 'url' | 'secretKey'>, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 500) {
    const operations: CreateOperation[] = []
    for (let j = i; j < Math.min(to, i + 500); j++) operations.push({ op: 'create', model: 'tasks', id: seededId(j), data: taskData(j) })
    await postCommit(server.url, server.secretKey, operations)
  }
}
