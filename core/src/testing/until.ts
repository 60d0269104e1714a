/** @module Await a condition on a client's local graph, event-driven (no polling). */
import { TandemConnectionError } from '../errors/index.ts'
import type { Schema } from '../schema/model.ts'
import type { TandemClient } from '../client/types.ts'

/**
 * Resolve with `selector`'s value once it is truthy; reject after `timeoutMs`.
 * @example
 * const row = await until(b, (t) => t.tasks.get(id))
 */
export function until<S extends Schema, T>(client: TandemClient<S>, selector: (t: TandemClient<S>) => T, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const first = selector(client)
  if (first) return Promise.resolve(first as NonNullable<T>)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new TandemConnectionError({ code: 'timeout', message: `until(): condition not met within ${timeoutMs} ms` }))
    }, timeoutMs)
    const off = client.subscribe(selector, (value) => {
      if (!value) return
      clearTimeout(timer)
      off()
      resolve(value as NonNullable<T>)
    })
  })
}

/** Resolve when the client's status atom reaches `status`. */
export function untilStatus<S extends Schema>(client: TandemClient<S>, status: string, timeoutMs = 10_000): Promise<void> {
  if (client.status.get() === status) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new TandemConnectionError({ code: 'timeout', message: `status did not become ${status} within ${timeoutMs} ms (is ${client.status.get()})` }))
    }, timeoutMs)
    const off = client.status.listen((s) => {
      if (s !== status) return
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}
