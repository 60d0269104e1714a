/** @module Sortable unique ids: 10 chars of time + 16 of randomness, base32 (Crockford). */

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
let lastTime = 0
let lastRandom: number[] = []

function randomDigits(count: number): number[] {
  const bytes = new Uint8Array(count)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b & 31)
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
