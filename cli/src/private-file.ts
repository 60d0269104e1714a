/** @module Files only their owner may read: the CLI's keys and secrets. */
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Create `path` (and its missing folders, 0700) with mode 0600 whatever the umask; fails if it exists. */
export function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const fd = openSync(path, 'wx', 0o600)
  try {
    fchmodSync(fd, 0o600)
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/** A secret kept in a file (trailing newline dropped); warns when others may read the file. */
export function readSecretFile(path: string, what: string): string {
  const secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '')
  if (!secret) throw new Error(`${what} file ${path} is empty`)
  if ((statSync(path).mode & 0o077) !== 0) console.warn(`Warning: ${what} file ${path} is readable by other users (chmod 600 it)`)
  return secret
}
