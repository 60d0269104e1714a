/**
 * @module `npm run bench [-- --quick] [--json FILE] [--only a,b]`: every
 * scenario against a real Tandem server, beside its baseline measured in the
 * same run, then one table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { formatMachine, machineInfo } from './lib/machine.ts'
import { now } from './lib/stats.ts'
import { legend, ratio, renderNotes, renderTable, renderTargets } from './lib/table.ts'
import type { Result } from './lib/types.ts'
import { scenarios } from './scenarios/index.ts'

const usage = `usage: npm run bench -- [--quick] [--json FILE] [--only ${scenarios.map((s) => s.name).join(',')}]`

function parseFlags() {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    process.exit(2)
  }
}
const values = parseFlags()
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const only = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean)
const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? []
if (unknown.length) {
  console.error(`unknown scenario: ${unknown.join(', ')}\n${usage}`)
  process.exit(2)
}
const selected = scenarios.filter((s) => !only || only.includes(s.name))
const quick = values.quick

// Every scenario bounds itself; this is the last line of defence.
const watchdog = setTimeout(
  () => {
    console.error('bench: the run exceeded its overall time limit; aborting')
    process.exit(3)
  },
  (quick ? 6 : 45) * 60_000,
)
watchdog.unref()

const machine = machineInfo()
console.log(`Tandem benchmarks (${quick ? 'quick' : 'full'})\n${formatMachine(machine)}\n`)

const tmpDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'))
const log = (message: string) => process.stderr.write(`  ${message}\n`)
const results: Result[] = []
const failures: Array<{ scenario: string; error: string }> = []
const started = now()
try {
  for (const scenario of selected) {
    log(`▶ ${scenario.name}: ${scenario.title}`)
    const t0 = now()
    try {
      results.push(...(await scenario.run({ quick, tmpDir, log })))
      log(`  done in ${((now() - t0) / 1000).toFixed(1)} s`)
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      failures.push({ scenario: scenario.name, error: message })
      log(`✗ ${scenario.name} failed: ${message}`)
    }
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true })
}

console.log(renderTable(results))
console.log(`\n${legend}`)
const targets = renderTargets(results)
if (targets) console.log(`\nTargets:\n${targets}`)
const notes = renderNotes(results)
if (notes) console.log(`\nNotes:\n${notes}`)
console.log(`\nTotal time: ${((now() - started) / 1000).toFixed(1)} s`)
if (failures.length) console.log(`\nFailed: ${failures.map((f) => f.scenario).join(', ')}`)

if (values.json) {
  const report = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    quick,
    machine,
    results: results.map((r) => ({ ...r, ratio: ratio(r) })),
    failures,
  }
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`Wrote ${values.json}`)
}
process.exitCode = failures.length ? 1 : 0
