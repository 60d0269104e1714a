/**
 * `npm test`'s last step: vitest on the whole repo, then one plain closing
 * line ("tests: N passed, N failed, N skipped") that any CI can read.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const out = join(import.meta.dirname, '..', '.vitest-results.json')
rmSync(out, { force: true })
const run = spawnSync('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' })
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)
}
process.exit(run.status ?? 1)
