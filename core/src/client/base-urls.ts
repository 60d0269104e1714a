/** @module The client's server URLs: one, or a list of nodes to fail over between. */
import { TandemValidationError } from '../errors/index.ts'

/** `baseURL` as a non-empty list: a string is a list of one. */
export function baseURLList(baseURL: string | readonly string[]): readonly string[] {
  const list = typeof baseURL === 'string' ? [baseURL] : [...baseURL]
  if (list.length === 0) throw new TandemValidationError({ code: 'invalid_request', message: 'Tandem(): `baseURL` is an empty list', param: 'baseURL' })
  return list
}

/** Which URL to use next: the following one, round the list, after a connection to `current` failed or dropped. */
export const nextURLIndex = (current: number, count: number): number => (current + 1) % count
