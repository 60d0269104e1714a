/**
 * @module Group fsync of SQLite's write-ahead log, off the event loop.
 *
 * With `PRAGMA synchronous = NORMAL` a WAL commit only write()s its frames;
 * this syncer then fsyncs the WAL file on libuv's thread pool. The event
 * loop keeps reading and validating new commits while the disk flushes, and
 * the commits that arrive meanwhile share the next fsync (group commit)
 * instead of each waiting for the loop.
 */
import { fsync as fsyncCallback, openSync, closeSync } from 'node:fs'

export type Fsync = (fd: number) => Promise<void>

const fsyncOnThreadPool: Fsync = (fd) => new Promise((resolve, reject) => fsyncCallback(fd, (error) => (error ? reject(error) : resolve())))

export interface WalSyncer {
  /** Resolves once an fsync that started after this call has finished: every write before the call is on disk. */
  sync(): Promise<void>
  /** Wait for a running fsync, then close the file. */
  close(): Promise<void>
}

function openWal(path: string): number | undefined {
  try {
    return openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * One fsync runs at a time; calls made while it runs share the one queued
 * after it. An fsync failure is sticky: data the kernel could not write may
 * be gone from its cache, so no later commit is acknowledged either.
 */
export function walSyncer(walPath: string, fsync: Fsync = fsyncOnThreadPool): WalSyncer {
  let fd: number | undefined
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  let failure: Error | undefined

  const start = (): Promise<void> => {
    const run = (async () => {
      if (failure) throw failure
      try {
        fd ??= openWal(walPath)
        // No WAL file yet: nothing was written through it, so nothing to flush.
        if (fd === undefined) return
        await fsync(fd)
      } catch (error) {
        failure = new Error(`could not fsync ${walPath}; no later commit is acknowledged until the server restarts: ${String(error)}`, { cause: error })
        throw failure
      }
    })()
    running = run
    void run.then(
      () => (running === run ? (running = undefined) : undefined),
      () => (running === run ? (running = undefined) : undefined),
    )
    return run
  }

  return {
    sync() {
      if (queued) return queued
      if (!running) return start()
      const next = running.then(
        () => {
          queued = undefined
          return start()
        },
        () => {
          queued = undefined
          return start()
        },
      )
      queued = next
      return next
    },
    async close() {
      await Promise.allSettled([running, queued])
      if (fd !== undefined) closeSync(fd)
      fd = undefined
    },
  }
}
