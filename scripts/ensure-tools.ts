/**
 * Tools some tests drive, from Debian's packages: Chromium (browser tests) and
 * promtool (from `prometheus`: the metrics test runs `promtool check metrics`).
 * A fresh machine lacks them: install them with apt-get when we can (root,
 * Debian); never download builds of our own.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const tools = [
  { name: 'Chromium', path: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', pkg: 'chromium', tests: 'browser tests' },
  { name: 'promtool', path: process.env['PROMTOOL_PATH'] ?? '/usr/bin/promtool', pkg: 'prometheus', tests: 'the promtool metrics check' },
]
const missing = tools.filter((t) => !existsSync(t.path))
if (missing.length) {
  const root = process.getuid?.() === 0
  const names = missing.map((t) => t.name).join(' and ')
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log(`Installing ${names} for the tests (apt-get install ${missing.map((t) => t.pkg).join(' ')})…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    for (const t of missing) {
      const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', t.pkg], { stdio: 'inherit', env }) : update
      if (install.status !== 0) console.warn(`Could not install ${t.name}; ${t.tests} will be skipped (and fail under CI=true).`)
    }
  } else {
    for (const t of missing) console.warn(`No ${t.name} at ${t.path} and no root apt-get: ${t.tests} will be skipped (and fail under CI=true).`)
  }
}
