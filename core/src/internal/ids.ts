/** @module Sortable unique ids: 10 chars of time + 16 of randomness, base32 (Crockford). */

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
let lastTime = 0
let lastRandom: number[] = []

// Random bytes drawn in blocks: one getRandomValues call per 256 ids instead of one per id (a write makes one or two).
const pool = new Uint8Array(4096)
let poolAt = pool.length

function randomDigits(count: number): number[] {
  if (poolAt + count > pool.length) {
    crypto.getRandomValues(pool)
    poolAt = 0
  }
  const digits = new Array<number>(count)
  for (let i = 0; i < count; i++) digits[i] = pool[poolAt++]! & 31
  return digits
}

/** A ULID-like id that sorts by creation time, also within one millisecond. */
export function createId(now: number = Date.now()): string {
  let random: number[]
  if (now <= lastTime) {
    // Same millisecond (or clock went back): increment so ids stay sorted.
    now = lastTime
    random = [...lastRandom]
    for (let i = random.length - 1; i >= 0; i--) {
      if (random[i]! < 31) {
        random[i]!++
        break
      }
      random[i] = 0
    }
  } else {
    random = randomDigits(16)
  }
  lastTime = now
  lastRandom = random
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32]! + time
    t = Math.floor(t / 32)
  }
  return time + random.map((d) => alphabet[d]).join('')
}

/** A random opaque token (base64url) of `bytes` bytes. */
export function randomToken(bytes = 24): string {
  const buf = new Uint8Array(bytes)
  crypto.getRandomValues(buf)
  let s = ''
  for (const b of buf) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}
