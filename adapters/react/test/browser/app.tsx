/**
 * @module The page the React component tests drive in Chromium: small components over the hooks, and `mount()` to
 * render them. Render counts, statuses and store listener counts are kept on `window.probe` for the test to read.
 */
import { StrictMode, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import Tandem, { type RegisteredClient, TandemError } from '@tandem/core'
import { TandemProvider, useClaim, useIntent, usePresence, usePresenceList, useStatus, useTandem } from '@tandem/react'
import { schema } from '../fixtures.ts'

export { Tandem, schema }

export const probe = { renders: {} as Record<string, number>, presenceRenders: {} as Record<string, number>, statuses: [] as string[] }

function Row({ id }: { id: string }) {
  probe.renders[id] = (probe.renders[id] ?? 0) + 1
  const title = useTandem(useCallback((t: RegisteredClient) => t.tasks.get(id)?.title, [id]))
  return <p data-row={id}>{title ?? '(none)'}</p>
}

/** An inline selector returning a new array each run: the store is made again each render, and equal results hold. */
function TaskCount() {
  const ids = useTandem((t) => t.tasks.getAll().map((task) => task.id))
  return <p data-count="">{ids.length}</p>
}

function Holder({ id }: { id: string }) {
  const { holder, queue } = useClaim({ model: 'tasks', id })
  return <p data-holder={id}>{holder ? `${holder.heldBy.name}: ${holder.action} (+${queue.length})` : 'free'}</p>
}

function Rename({ id }: { id: string }) {
  const tandem = useTandem()
  const [error, setError] = useState('')
  const rename = () =>
    tandem.tasks.update({ id, data: { title: 'renamed in the page' } }).then(
      () => setError('saved'),
      (e: unknown) => setError(e instanceof TandemError ? `${e.name} ${e.code}` : String(e)),
    )
  return (
    <>
      <button data-rename={id} onClick={rename}>
        Rename
      </button>
      <p data-error={id}>{error}</p>
    </>
  )
}

function StatusLine() {
  const status = useStatus()
  useEffect(() => void probe.statuses.push(status), [status])
  return <p data-status="">{status}</p>
}

/** Who else is on row `id`: name (kind) action, in the server's order. */
function Here({ id }: { id: string }) {
  probe.presenceRenders[id] = (probe.presenceRenders[id] ?? 0) + 1
  const here = usePresence({ model: 'tasks', id })
  const names = here.map((p) => `${p.participant.name} (${p.participant.kind}) ${p.intent?.action ?? ''}`.trim())
  return <p data-here={id}>{names.join(', ') || 'nobody'}</p>
}

function Everyone() {
  const list = usePresenceList()
  return <p data-everyone="">{list.map((p) => `${p.participant.name}${p.self ? '*' : ''}`).join(', ')}</p>
}

/** Which row this page is editing: the test sets it with `focus.set(id)`; the component announces it with `useIntent`. */
export const focus = { set: (_id: string | null) => {} }
function Focus() {
  const [id, setId] = useState<string | null>(null)
  focus.set = setId
  useIntent(id ? { model: 'tasks', id, action: 'editing' } : null)
  return <p data-focus="">{id ?? 'none'}</p>
}

/** The presence part of the board, which the test can unmount alone (`showPresence(false)`). */
export const presence = { show: (_on: boolean) => {} }
function PresencePart() {
  const [on, setOn] = useState(true)
  presence.show = setOn
  if (!on) return null
  return (
    <>
      <Here id="a" />
      <Here id="b" />
      <Everyone />
      <Focus />
    </>
  )
}

function Board() {
  return (
    <>
      <Row id="a" />
      <Row id="b" />
      <TaskCount />
      <Holder id="a" />
      <Rename id="a" />
      <StatusLine />
      <PresencePart />
    </>
  )
}

/** The client, with every store the hooks make through it recorded, so the test can count their listeners. */
export function counted(client: RegisteredClient) {
  const stores: Array<{ lc: number }> = []
  // Once per store: core hands out the same `others(row)` atom to every render that asks.
  const record = <S extends { lc: number }>(store: S) => (stores.includes(store) || stores.push(store), store)
  const proxy = new Proxy(client, {
    get(target, key) {
      if (key === 'select') return (...args: Parameters<typeof target.select>) => record(target.select(...args))
      if (key === 'claimView') return (...args: Parameters<typeof target.claimView>) => record(target.claimView(...args))
      if (key === 'presence') {
        const presence = target.presence
        const others = (row?: Parameters<typeof presence.others>[0]) => record(presence.others(row) as unknown as { lc: number })
        return { ...presence, list: presence.list, others, setIntent: presence.setIntent.bind(presence), clearIntent: presence.clearIntent.bind(presence) }
      }
      return Reflect.get(target, key)
    },
  })
  return { client: proxy, stores: () => stores.length, listeners: () => stores.reduce((n, s) => n + s.lc, 0) }
}

let root: Root | undefined

interface MountOptions {
  strict?: boolean
  /** A client made in the page; else the provider makes one from `options`. */
  client?: RegisteredClient
  options?: { baseURL: string; apiKey: string }
  suspense?: boolean
  /** With `suspense`: the provider's fallback; without it, an outer `<Suspense>` boundary with its own fallback. */
  fallback?: boolean
}

export function mount({ strict, client, options, suspense, fallback }: MountOptions): void {
  const provider = client ? (
    <TandemProvider client={client}>
      <Board />
    </TandemProvider>
  ) : (
    <Suspense fallback={<p data-outer-fallback="">outer</p>}>
      <TandemProvider schema={schema} {...options!} suspense={suspense ?? false} fallback={fallback ? <p data-fallback="">connecting…</p> : undefined}>
        <Board />
      </TandemProvider>
    </Suspense>
  )
  const tree: ReactNode = strict ? <StrictMode>{provider}</StrictMode> : provider
  root = createRoot(document.getElementById('app')!)
  root.render(tree)
}

export function unmount(): void {
  root?.unmount()
  root = undefined
}

export const text = (selector: string) => document.querySelector(selector)?.textContent ?? null
