import { describe, expect, it } from 'vitest'
import { TandemValidationError } from '../errors/index.ts'
import { indexedDbOutbox } from './persistence.ts'

describe('indexedDbOutbox', () => {
  it('where there is no IndexedDB refuses with a typed error naming the option', () => {
    const attempt = () => indexedDbOutbox('key')
    expect(attempt).toThrow(TandemValidationError)
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'persistence' }))
  })
})
