import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { defineSchema, model, z } from '@tandem/core/schema'
import { storeFromUrl } from '../src/store-from-url.ts'

const schema = defineSchema({ notes: model({ text: z.string() }) })
const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-url-'))
  dirs.push(dir)
  return dir
}

it('sqlite:path?durability=process opens the file at the path, without the query in its name', async () => {
  const path = join(tempDir(), 'db.sqlite')
  const store = await storeFromUrl(`sqlite:${path}?durability=process`)
  await store.open(schema)
  expect(existsSync(path)).toBe(true)
  await store.close()
})

it('a durability other than full or process, or an unknown option, is refused by name', async () => {
  const path = join(tempDir(), 'db.sqlite')
  await expect(storeFromUrl(`sqlite:${path}?durability=fast`)).rejects.toThrow(/durability must be 'full' or 'process', got "fast"/)
  await expect(storeFromUrl(`sqlite:${path}?journal=off`)).rejects.toThrow(/Unknown SQLite option \?journal=/)
  expect(existsSync(path)).toBe(false)
})
