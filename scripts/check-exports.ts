/**
 * `npm run check:exports`: the published shape of every public package. Builds, packs each one as npm would, and runs
 * publint and Are the Types Wrong (ESM-only profile: the packages ship ESM only) on the tarball.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces
const published = workspaces.filter((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { private?: boolean; exports?: unknown }
  return !pkg.private && pkg.exports !== undefined
})

const run = (cmd: string, args: string[], cwd = root) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const out = mkdtempSync(join(tmpdir(), 'tandem-pack-'))
const failed: string[] = []
try {
  run('npm', ['run', 'build', '--silent'])
  for (const dir of published) {
    const [tarball] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], join(root, dir))) as Array<{ filename: string }>
    const file = join(out, tarball!.filename)
    for (const [tool, args] of [
      ['publint', ['run', file, '--strict']],
      ['attw', [file, '--profile', 'esm-only', '--no-emoji', '--no-color']],
    ] as const) {
      try {
        run(tool, [...args])
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string }
        failed.push(`${dir} (${tool}):\n${e.stdout ?? ''}${e.stderr ?? ''}`)
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
if (failed.length) {
  console.error(`Package exports have problems:\n\n${failed.join('\n')}`)
  process.exit(1)
}
console.log(`exports ok (${published.join(', ')})`)
