/**
 * @module `node bench/src/tools/cpuprofile-top.ts FILE.cpuprofile [N] [--callers TEXT] [--under TEXT]`:
 * the functions with the most self time, and the most inclusive time, in a
 * profile written by `node --cpu-prof`. With `--callers TEXT`: for every
 * function whose label contains TEXT, its self time split by caller chain
 * (three frames up), to tell apart what calls a hot native function. With
 * `--under TEXT`: only the samples whose stack holds a function whose label
 * contains TEXT (e.g. `#catchUp`), to break one path down.
 */
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const args = process.argv.slice(2)
const callersAt = args.indexOf('--callers')
const callersOf = callersAt >= 0 ? args.splice(callersAt, 2)[1] : undefined
const underAt = args.indexOf('--under')
const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined
const [file, n = '25'] = args
if (!file) {
  console.error('usage: node bench/src/tools/cpuprofile-top.ts FILE.cpuprofile [N] [--callers TEXT] [--under TEXT]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id)

const label = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame
  const short = url.replace(/^file:\/\/.*?\/(core|bench|node_modules)\//, '$1/')
  return `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim()
}

const self = new Map<string, number>()
const byCaller = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0
  const node = byId.get(id)!
  if (under !== undefined) {
    let inside = false
    for (let cur: number | undefined = id; cur !== undefined && !inside; cur = parent.get(cur)) inside = label(byId.get(cur)!).includes(under)
    if (!inside) return
  }
  total += dt
  self.set(label(node), (self.get(label(node)) ?? 0) + dt)
  if (callersOf !== undefined && label(node).includes(callersOf)) {
    const chain: string[] = []
    for (let cur = parent.get(id); cur !== undefined && chain.length < 3; cur = parent.get(cur)) chain.push(label(byId.get(cur)!))
    const key = `${label(node)}  ⟵  ${chain.join('  ⟵  ')}`
    byCaller.set(key, (byCaller.get(key) ?? 0) + dt)
  }
  const seen = new Set<string>()
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!)
    if (seen.has(l)) continue
    seen.add(l)
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt)
  }
})

const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`)
  for (const [l, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${l}`)
  }
}
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled${under === undefined ? '' : ` under "${under}"`}`)
show('self time', self)
show('inclusive time', inclusive)
if (callersOf !== undefined) show(`self time of "${callersOf}" by caller`, byCaller)
