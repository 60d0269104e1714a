/** @module The React pane: the board through `@tandem/react` (provider, useTandem, useClaim, useStatus, usePresence, useIntent). */
import { useState, useSyncExternalStore } from 'react'
import { TandemProvider, useClaim, useIntent, usePresence, useStatus, useTandem } from '@tandem/react'
import { activity } from '../shared/activity.ts'
import { columns, editingIntent, holderText, paneClient, presenceText, queueText, type Status } from '../shared/client.ts'
import { dismiss, messagesOf, move, rename } from '../shared/edits.ts'

function Card({ id }: { id: string }) {
  const tandem = useTandem()
  const row = useTandem((t) => t.tasks.get(id), { deps: [id] })
  const { holder, queue } = useClaim({ model: 'tasks', id })
  const here = usePresence({ model: 'tasks', id })
  const [focused, setFocused] = useState(false)
  useIntent(focused ? editingIntent(id) : null)
  const [draft, setDraft] = useState<string | null>(null)
  const [readAt, setReadAt] = useState<number | undefined>()
  const messages = messagesOf(tandem)
  const message = useSyncExternalStore(messages.listen, () => messages.get()[id])
  if (!row) return null
  const save = async () => {
    if (draft === null) return
    if (await rename(tandem, id, draft, readAt)) setDraft(null)
  }
  return (
    <li className="card" data-card={id} data-held={holder ? holder.heldBy.kind : undefined}>
      <input
        className="title"
        aria-label="title"
        value={draft ?? row.title}
        onBlur={() => setFocused(false)}
        onFocus={() => {
          setFocused(true)
          // The version this edit starts from: saving after someone else changed the card trips the stale guard.
          if (draft === null) setReadAt(row.syncId)
        }}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save()
          if (e.key === 'Escape') (setDraft(null), dismiss(tandem, id))
        }}
      />
      <div className="meta">
        <span className="assignee">{row.assignee ?? 'unassigned'}</span>
        {draft !== null && (
          <button className="save" onClick={() => void save()}>
            Save
          </button>
        )}
        <select className="status" aria-label="status" value={row.status} onChange={(e) => void move(tandem, id, e.target.value as Status)}>
          {columns.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </div>
      {holder && <p className="holder">{holderText(holder)}</p>}
      {here.length > 0 && (
        <p className="presence">
          {here.map((p) => (
            <span key={p.connectionId} className="here" data-kind={p.participant.kind}>
              {presenceText(p)}
            </span>
          ))}
        </p>
      )}
      {queue.length > 0 && <p className="queue">{queueText(queue)}</p>}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
    </li>
  )
}

function Column({ status }: { status: Status }) {
  const ids = useTandem(
    (t) =>
      t.tasks
        .getAll({ where: { status } })
        .map((r) => r.id)
        .sort(),
    { deps: [status] },
  )
  return (
    <div className="column" data-column={status}>
      <h3>{status}</h3>
      <ul>
        {ids.map((id) => (
          <Card key={id} id={id} />
        ))}
      </ul>
    </div>
  )
}

function Feed() {
  const entries = useSyncExternalStore(activity.listen, activity.get)
  return (
    <ol className="feed">
      {entries.map((a) => (
        <li key={a.syncId} data-kind={a.kind}>
          <span className="kind">{a.kind}</span> <b>{a.who}</b> {a.what}
        </li>
      ))}
    </ol>
  )
}

function Pane({ person }: { person: string }) {
  const status = useStatus()
  return (
    <>
      <header>
        <h2>React</h2>
        <span className="who">as {person}</span>
        <span className="connection" data-status={status}>
          {status}
        </span>
      </header>
      <div className="board">
        {columns.map((c) => (
          <Column key={c} status={c} />
        ))}
      </div>
      <Feed />
    </>
  )
}

export function ReactPane({ person }: { person: string }) {
  const [client] = useState(() => paneClient(person))
  return (
    <TandemProvider client={client}>
      <Pane person={person} />
    </TandemProvider>
  )
}
