/** The hooks' failure paths, rendered on the server (react-dom/server: no DOM needed): each throws a typed TandemError. */
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import Tandem, { TandemAuthError, TandemError, TandemValidationError } from '@tandem/core'
import { createServer, memoryStore } from '@tandem/core/server'
import { TandemProvider, useClaim, useReady, useTandem } from '@tandem/react'
import { schema } from './fixtures.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

const caught = (render: () => unknown): unknown => {
  try {
    render()
  } catch (error) {
    return error
  }
  throw new Error('expected the render to throw')
}

describe('@tandem/react failure paths', () => {
  it('a hook outside <TandemProvider> throws invalid_request', () => {
    const Orphan = () =>
      h(
        'p',
        null,
        useTandem((t) => t.tasks.getCount()),
      )
    const error = caught(() => renderToString(h(Orphan)))
    expect(error).toBeInstanceOf(TandemError)
    expect((error as TandemError).code).toBe('invalid_request')
  })

  it('useClaim on a model or field the schema does not have throws unknown_model / unknown_field', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const client = Tandem({ schema, baseURL: server.url, apiKey: server.secretKey, autoConnect: false })
    cleanups.push(
      () => server.close(),
      () => client.dispose(),
    )
    const Claim = (props: { model: string; field?: string }) => h('p', null, String(useClaim({ id: 't1', ...props } as never).heldByMe))
    expect(renderToString(h(TandemProvider, { client }, h(Claim, { model: 'tasks' })))).toBe('<p>false</p>')
    for (const [props, code] of [
      [{ model: 'projects' }, 'unknown_model'],
      [{ model: 'tasks', field: 'colour' }, 'unknown_field'],
    ] as const) {
      const error = caught(() => renderToString(h(TandemProvider, { client }, h(Claim, props))))
      expect(error).toBeInstanceOf(TandemValidationError)
      expect((error as TandemError).code).toBe(code)
    }
  })

  it('useReady throws the TandemError when ready() can never resolve (credentials refused)', async () => {
    const server = await createServer({ schema, store: memoryStore(), port: 0 })
    const client = Tandem({ schema, baseURL: server.url, apiKey: 'sk_not_a_key' })
    cleanups.push(
      () => server.close(),
      () => client.dispose(),
    )
    await expect(client.ready()).rejects.toBeInstanceOf(TandemAuthError)
    const Ready = () => (useReady(), h('p', null, 'ready'))
    const error = caught(() => renderToString(h(TandemProvider, { client }, h(Ready))))
    expect(error).toBeInstanceOf(TandemAuthError)
    expect((error as TandemError).code).toBe('unauthenticated')
  })
})
