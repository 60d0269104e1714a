import { expect, it } from 'vitest'
import { createId } from './ids.ts'

it('ids are unique and sort by creation, within one millisecond and across refills of the random pool', () => {
  const ids: string[] = []
  // 20,000 ids use the 4 KiB pool five times over; a new millisecond every 7 ids draws fresh randomness.
  for (let i = 0; i < 20_000; i++) ids.push(createId(1_800_000_000_000 + Math.floor(i / 7)))
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual(ids)
  expect(ids.every((id) => /^[0-9a-hjkmnp-tv-z]{26}$/.test(id))).toBe(true)
  // Fresh milliseconds get fresh random parts, not a counter.
  const randomParts = new Set(ids.filter((_, i) => i % 7 === 0).map((id) => id.slice(10)))
  expect(randomParts.size).toBeGreaterThan(2800)
})
