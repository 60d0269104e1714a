/**
 * Browser tests drive Debian's Chromium. A fresh machine does not have it:
 * install it with apt-get when we can (root, Debian), never download a
 * browser build of our own.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
if (!existsSync(path)) {
  const root = process.getuid?.() === 0
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the browser tests (apt-get install chromium)…')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }) : update
    if (install.status !== 0) console.warn('Could not install Chromium; browser tests will be skipped (and fail under CI=true).')
  } else {
    console.warn(`No Chromium at ${path} and no root apt-get: browser tests will be skipped (and fail under CI=true).`)
  }
}
