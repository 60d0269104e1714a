/**
 * @module The `<db>-lock` file: one live process per SQLite file. Two servers
 * on one file would each fan out only their own commits, so clients of the
 * second silently miss the first's. The lock holds the owner's pid; a lock
 * whose pid is dead (a crash, kill -9) is taken over.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { TandemConflictError } from '../../errors/index.ts'

/** Lock files this process holds, removed on exit even without close(). */
const held = new Set<string>()
let exitHook = false

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/**
 * Create the lock with our pid already in it: written to a private name, then
 * hard-linked into place, which fails if the lock exists (as O_EXCL would),
 * so no reader ever sees a lock without its pid.
 */
function tryCreate(lockPath: string): boolean {
  const mine = `${lockPath}.${process.pid}`
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 })
  try {
    linkSync(mine, lockPath)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    unlinkSync(mine)
  }
}

/** Move a dead owner's lock aside; if another process replaced it meanwhile, put theirs back. */
function takeOverStale(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale-${process.pid}`
  try {
    renameSync(lockPath, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (readText(aside) !== staleText) {
    try {
      linkSync(aside, lockPath)
    } catch {
      // A third process locked it meanwhile: its lock stands, ours is lost either way.
    }
  }
  unlinkSync(aside)
}

const lockedError = (dbPath: string, pid: number) =>
  new TandemConflictError({
    code: 'store_locked',
    message:
      pid === process.pid
        ? `${dbPath} is already open in this process (another store on the same file): close that one first`
        : `${dbPath} is in use by another Tandem process (pid ${pid}): stop it, or give this one another file (--database-url)`,
    details: { path: dbPath, pid },
  })

/** Take `<dbPath>-lock` or throw `store_locked`; returns the release function. */
export function lockSqliteFile(dbPath: string): () => void {
  const lockPath = `${dbPath}-lock`
  let pid = Number.NaN
  for (let attempt = 0; !tryCreate(lockPath); attempt++) {
    // Several processes taking over at once: give up rather than loop.
    if (attempt >= 3) throw lockedError(dbPath, pid)
    const text = readText(lockPath)
    if (text === null) continue // released meanwhile
    pid = Number.parseInt(text, 10)
    // Our own pid on a lock we do not hold is a previous run's (a restarted container is often pid 1 again).
    const ours = pid === process.pid && !held.has(lockPath)
    if (Number.isInteger(pid) && pid > 0 && !ours && isAlive(pid)) throw lockedError(dbPath, pid)
    takeOverStale(lockPath, text)
  }
  held.add(lockPath)
  if (!exitHook) {
    exitHook = true
    process.on('exit', () => {
      for (const path of held) release(path)
    })
  }
  return () => {
    if (held.has(lockPath)) release(lockPath)
  }
}

function release(lockPath: string): void {
  held.delete(lockPath)
  // Only our own lock: a file taken over after we were presumed dead is not ours to remove.
  if (readText(lockPath)?.trim() !== String(process.pid)) return
  try {
    unlinkSync(lockPath)
  } catch {
    // Already gone.
  }
}
