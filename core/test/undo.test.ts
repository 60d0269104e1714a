/** `tandem.undo()` / `redo()` on a real server, with another client editing the same rows. */
import fc from 'fast-check'
import { until } from '@tandem/core/testing'
import { describe, expect, it } from 'vitest'
import { setup } from './helpers.ts'

describe('undo and redo', () => {
  it('undoes and redoes updates, creates and deletes; canUndo / canRedo follow', async () => {
    const { client } = await setup()
    const a = client()
    await a.ready()
    expect(a.canUndo.get()).toBe(false)
    await a.tasks.create({ id: 't1', data: { title: 'One', points: 1 } })
    await a.tasks.update({ id: 't1', data: { title: 'Uno', points: 2 } })
    expect(a.canUndo.get()).toBe(true)
    expect(await a.undo()).toMatchObject({ status: 'applied', syncId: expect.any(Number) })
    expect(a.tasks.get('t1')).toMatchObject({ title: 'One', points: 1 })
    expect(a.canRedo.get()).toBe(true)
    expect(await a.redo()).toMatchObject({ status: 'applied' })
    expect(a.tasks.get('t1')).toMatchObject({ title: 'Uno', points: 2 })
    await a.tasks.delete({ id: 't1' })
    await a.undo()
    expect((await a.tasks.retrieve({ id: 't1' }))!).toMatchObject({ title: 'Uno', points: 2 })
    await a.undo() // the update
    await a.undo() // the create
    expect(await a.tasks.retrieve({ id: 't1' })).toBeNull()
    expect(a.canUndo.get()).toBe(false)
    expect(await a.undo()).toEqual({ status: 'empty' })
    // A new write clears what could be redone.
    await a.tasks.create({ data: { title: 'fresh' } })
    expect(a.canRedo.get()).toBe(false)
  })

  it('an undo after someone else changed the same field is reported as a conflict and writes nothing', async () => {
    const { client } = await setup()
    const a = client()
    const b = client({ participant: { kind: 'human', name: 'Bea' } })
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 't1', data: { title: 'Draft' } })
    await a.tasks.update({ id: 't1', data: { title: 'Mine' } })
    await until(b, (t) => t.tasks.get('t1')?.title === 'Mine')
    await b.tasks.update({ id: 't1', data: { title: 'Theirs' } })
    await until(a, (t) => t.tasks.get('t1')?.title === 'Theirs')
    const cursor = a.cursor()
    const result = await a.undo()
    expect(result).toEqual({
      status: 'conflict',
      conflicts: [{ model: 'tasks', id: 't1', field: 'title', syncId: expect.any(Number), actor: expect.anything() }],
    })
    expect((await a.tasks.retrieve({ id: 't1' }))!.title).toBe('Theirs')
    expect((await a.tasks.retrieve({ id: 't1' }))!.syncId).toBe(cursor)
    // The conflicting step is dropped; the one below it (the create) would delete their edit too, so it conflicts as well.
    expect(await a.undo()).toMatchObject({ status: 'conflict', conflicts: [{ model: 'tasks', id: 't1' }] })
    expect(await a.tasks.retrieve({ id: 't1' })).toMatchObject({ title: 'Theirs' })
  })

  it('a remote edit the client has not seen yet is refused by the server (stale_context) and reported the same way', async () => {
    const { client, http } = await setup()
    const a = client()
    await a.ready()
    await a.tasks.create({ id: 't1', data: { title: 'Draft' } })
    await a.tasks.update({ id: 't1', data: { title: 'Mine' } })
    // Written over HTTP just before the undo: whether or not its delta reached the client first, nothing is clobbered.
    await http('POST', '/v1/commits', { operations: [{ op: 'update', model: 'tasks', id: 't1', data: { title: 'Theirs' } }] })
    const result = await a.undo()
    expect(result.status).toBe('conflict')
    expect((await a.tasks.retrieve({ id: 't1' }))!.title).toBe('Theirs')
    await until(a, (t) => t.tasks.get('t1')?.title === 'Theirs')
  })

  it('someone else’s edit of another field does not block the undo, and survives it', async () => {
    const { client } = await setup()
    const a = client()
    const b = client()
    await Promise.all([a.ready(), b.ready()])
    await a.tasks.create({ id: 't1', data: { title: 'Draft', points: 1 } })
    await a.tasks.update({ id: 't1', data: { title: 'Mine' } })
    await until(b, (t) => t.tasks.get('t1')?.title === 'Mine')
    await b.tasks.update({ id: 't1', data: { points: 8 } })
    await until(a, (t) => t.tasks.get('t1')?.points === 8)
    expect(await a.undo()).toMatchObject({ status: 'applied' })
    expect(await a.tasks.retrieve({ id: 't1' })).toMatchObject({ title: 'Draft', points: 8 })
    expect(await a.redo()).toMatchObject({ status: 'applied' })
    expect(await a.tasks.retrieve({ id: 't1' })).toMatchObject({ title: 'Mine', points: 8 })
  })

  it('property: undo / redo interleaved with remote edits never overwrites a remote write', async () => {
    const fields = ['title', 'assignee'] as const
    const command = fc.oneof(
      fc.record({ kind: fc.constant('local' as const), row: fc.nat(1), field: fc.constantFrom(...fields), value: fc.nat(3) }),
      fc.record({ kind: fc.constant('remote' as const), row: fc.nat(1), field: fc.constantFrom(...fields), value: fc.nat(3) }),
      fc.record({ kind: fc.constant('undo' as const) }),
      fc.record({ kind: fc.constant('redo' as const) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), fc.boolean(), async (commands, waitForRemote) => {
        const { client, http } = await setup()
        const a = client()
        const b = client()
        await Promise.all([a.ready(), b.ready()])
        for (const id of ['r0', 'r1']) await b.tasks.create({ id, data: { title: 'start', assignee: 'start' } })
        await until(a, (t) => t.tasks.get('r1'))
        const remote = new Set<number>()
        const undoCommits = new Set<number>()
        for (const c of commands) {
          if (c.kind === 'local') await a.tasks.update({ id: `r${c.row}`, data: { [c.field]: `a${c.value}` } })
          else if (c.kind === 'remote') {
            const row = await b.tasks.update({ id: `r${c.row}`, data: { [c.field]: `b${c.value}` } })
            remote.add(row.syncId)
            if (waitForRemote) await until(a, (t) => t.cursor() >= row.syncId)
          } else {
            const result = c.kind === 'undo' ? await a.undo() : await a.redo()
            if (result.status === 'applied') undoCommits.add(result.syncId)
            else expect(['empty', 'conflict']).toContain(result.status)
          }
        }
        // In the log: no undo or redo commit changes a field whose last writer was the remote client.
        const log = (await http('GET', '/v1/changes?limit=1000')).body.data as Array<{
          syncId: number
          changes: Array<{ id: string; previous: object | null }>
        }>
        const lastWriter = new Map<string, number>()
        for (const entry of log) {
          for (const change of entry.changes) {
            for (const field of Object.keys(change.previous ?? {})) {
              const key = `${change.id}.${field}`
              if (undoCommits.has(entry.syncId)) expect(remote.has(lastWriter.get(key) ?? -1), `undo ${entry.syncId} overwrote ${key}`).toBe(false)
              lastWriter.set(key, entry.syncId)
            }
          }
        }
        await Promise.all([a.dispose(), b.dispose()])
      }),
      { numRuns: 25 },
    )
  }, 120_000)
})
