import { afterEach, describe, expect, it, vi } from 'vitest'
import { TandemValidationError } from '../errors/index.ts'
import { websocketTransport } from './websocket-transport.ts'

afterEach(() => vi.unstubAllGlobals())

describe('websocketTransport', () => {
  it('without any WebSocket implementation refuses with a typed error naming the option', () => {
    vi.stubGlobal('WebSocket', undefined)
    const handlers = { onOpen() {}, onFrame() {}, onClose() {} }
    const attempt = () => websocketTransport().connect('http://127.0.0.1:1', handlers)
    expect(attempt).toThrow(TandemValidationError)
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'transport' }))
  })
})
