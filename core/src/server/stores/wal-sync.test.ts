import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { deferred, type Deferred } from '../../internal/deferred.ts'
import { defineSchema, model, z } from '../../schema/index.ts'
import { CommitPipeline } from '../commit-pipeline.ts'
import { Hub } from '../hub.ts'
import type { Session } from '../session.ts'
import { createSqliteStore } from './sqlite-store.ts'
import { walSyncer } from './wal-sync.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tandem-wal-'))
  dirs.push(d)
  return d
}

/** An fsync the test finishes by hand. */
function manualFsync() {
  const calls: Array<Deferred<void>> = []
  return {
    calls,
    fsync: () => {
      const d = deferred<void>()
      calls.push(d)
      return d.promise
    },
  }
}

const settled = async (p: Promise<unknown>) => {
  let done = false
  void p.then(
    () => (done = true),
    () => (done = true),
  )
  // Let every already-resolved reaction run.
  for (let i = 0; i < 10; i++) await Promise.resolve()
  return done
}

it('a sync waits for an fsync that started after it; calls during a running fsync share the next one', async () => {
  const wal = join(tempDir(), 'db-wal')
  writeFileSync(wal, 'frames')
  const disk = manualFsync()
  const syncer = walSyncer(wal, disk.fsync)
  const first = syncer.sync()
  await Promise.resolve()
  expect(disk.calls).toHaveLength(1)
  const second = syncer.sync()
  const third = syncer.sync()
  expect(second).toBe(third)
  disk.calls[0]!.resolve()
  await first
  // The fsync running when `second` was asked for may have missed its writes: a new one runs for it.
  expect(await settled(second)).toBe(false)
  expect(disk.calls).toHaveLength(2)
  disk.calls[1]!.resolve()
  await second
  expect(disk.calls).toHaveLength(2)
  await syncer.close()
})

it('an fsync failure fails its waiters and every later sync', async () => {
  const wal = join(tempDir(), 'db-wal')
  writeFileSync(wal, 'frames')
  const disk = manualFsync()
  const syncer = walSyncer(wal, disk.fsync)
  const first = syncer.sync()
  await Promise.resolve()
  disk.calls[0]!.reject(new Error('EIO'))
  await expect(first).rejects.toThrow(/could not fsync.*EIO/)
  await expect(syncer.sync()).rejects.toThrow(/could not fsync/)
  expect(disk.calls).toHaveLength(1)
  await syncer.close()
})

it('no WAL file yet means nothing to flush', async () => {
  const disk = manualFsync()
  const syncer = walSyncer(join(tempDir(), 'missing-wal'), disk.fsync)
  await syncer.sync()
  expect(disk.calls).toHaveLength(0)
})

const schema = defineSchema({ notes: model({ text: z.string() }) })
const session: Session = { credentialId: 'k', actor: { id: 'k', kind: 'agent' }, groups: null, defaultGroup: 'org:default', secret: true }

it('sqliteStore acknowledges a commit only after the WAL fsync, and commits arriving meanwhile share the next one', async () => {
  const disk = manualFsync()
  const store = createSqliteStore({ path: join(tempDir(), 'tandem.db') }, disk.fsync)
  await store.open(schema)
  const hub = new Hub((a, l) => store.readLog(a, l))
  const published: number[] = []
  hub.listen((entries) => published.push(...entries.map((e) => e.syncId)))
  const pipeline = new CommitPipeline({ schema, store, hub, maxOperations: 10 })
  const commit = (text: string) => pipeline.submit(session, { operations: [{ op: 'create', model: 'notes', data: { text } }] }, undefined, 'server')

  const first = commit('a')
  await until(() => disk.calls.length === 1)
  // Written and visible to readers, but neither acknowledged nor sent to subscribers before the disk has it.
  expect(await store.headSyncId()).toBe(1)
  expect(await settled(first)).toBe(false)
  expect(published).toEqual([])

  // The event loop is free during the fsync: these are accepted and wait for the next one together.
  const later = [commit('b'), commit('c'), commit('d')]
  disk.calls[0]!.resolve()
  expect((await first).syncId).toBe(1)
  expect(published).toEqual([1])
  await until(() => disk.calls.length === 2)
  expect(await settled(Promise.all(later))).toBe(false)
  disk.calls[1]!.resolve()
  expect((await Promise.all(later)).map((r) => r.syncId)).toEqual([2, 3, 4])
  expect(published).toEqual([1, 2, 3, 4])
  expect(disk.calls).toHaveLength(2)
  await store.close()
})

it('sqliteStore records (claims) wait for the fsync too', async () => {
  const disk = manualFsync()
  const store = createSqliteStore({ path: join(tempDir(), 'tandem.db') }, disk.fsync)
  await store.open(schema)
  const update = store.updateRecord<number>('counter', 'c', (n) => (n ?? 0) + 1)
  await until(() => disk.calls.length === 1)
  expect(await settled(update)).toBe(false)
  disk.calls[0]!.resolve()
  expect(await update).toBe(1)
  await store.close()
})

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r))
  expect(check()).toBe(true)
}
