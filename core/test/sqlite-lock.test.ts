/** One live process per SQLite file: `<db>-lock` holds the owner's pid; a second open is refused with `store_locked`, a dead owner's lock is taken over. */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TandemConflictError } from '@tandem/core'
import { defineSchema } from '@tandem/core/schema'
import { memoryStore, sqliteStore } from '@tandem/core/server'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'tandem-sqlite-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const schema = defineSchema({})

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise((r) => child.once('exit', r))
  return child.pid!
}

describe('sqliteStore lock', () => {
  it('holds <db>-lock with its pid while open and removes it on close', async () => {
    const path = join(dir, 'held.db')
    const store = sqliteStore({ path })
    await store.open(schema)
    expect(readFileSync(`${path}-lock`, 'utf8').trim()).toBe(String(process.pid))
    expect(statSync(`${path}-lock`).mode & 0o777).toBe(0o600)
    await store.close()
    expect(existsSync(`${path}-lock`)).toBe(false)
  })

  it('refuses a second open of a held file with store_locked {path, pid}, and opens once the first closed', async () => {
    const path = join(dir, 'twice.db')
    const first = sqliteStore({ path })
    await first.open(schema)
    const refused = await sqliteStore({ path })
      .open(schema)
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TandemConflictError)
    expect(refused).toMatchObject({ code: 'store_locked', status: 409, details: { path, pid: process.pid } })
    expect((refused as Error).message).toContain(path)
    expect(readFileSync(`${path}-lock`, 'utf8').trim()).toBe(String(process.pid)) // the refused open left the lock alone
    await first.close()
    const second = sqliteStore({ path })
    await second.open(schema)
    await second.close()
  })

  it('takes over a lock whose pid is dead', async () => {
    const path = join(dir, 'stale.db')
    writeFileSync(`${path}-lock`, `${await deadPid()}\n`)
    const store = sqliteStore({ path })
    await store.open(schema)
    expect(readFileSync(`${path}-lock`, 'utf8').trim()).toBe(String(process.pid))
    await store.close()
  })

  it("takes over a lock with this process's pid that this process does not hold (a restarted container reusing the pid)", async () => {
    const path = join(dir, 'reused-pid.db')
    writeFileSync(`${path}-lock`, `${process.pid}\n`)
    const store = sqliteStore({ path })
    await store.open(schema)
    await expect(sqliteStore({ path }).open(schema)).rejects.toMatchObject({ code: 'store_locked' })
    await store.close()
    expect(existsSync(`${path}-lock`)).toBe(false)
  })

  it('lock: false opens beside a holder and leaves its lock in place', async () => {
    const path = join(dir, 'admin.db')
    const server = sqliteStore({ path })
    await server.open(schema)
    const admin = sqliteStore({ path, lock: false })
    await admin.open(schema)
    await admin.putRecord('note', 'n1', { ok: true })
    await admin.close()
    expect(await server.getRecord('note', 'n1')).toEqual({ ok: true })
    expect(existsSync(`${path}-lock`)).toBe(true)
    await server.close()
  })

  it('memory stores and :memory: SQLite take no lock', async () => {
    for (const store of [memoryStore(), sqliteStore({ path: ':memory:' }), sqliteStore({ path: ':memory:' })]) await store.open(schema)
    expect(existsSync(':memory:-lock')).toBe(false)
  })
})
