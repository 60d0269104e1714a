/** @module Numbers in query strings: plain decimal digits only (no hex, exponent, sign or blanks, which `Number()` would accept). */
import { z } from 'zod'

/** A query parameter holding a whole number written in decimal digits (`16`, never `0x10`, `1e1` or ` 16`). */
export const decimalIntParam = () =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'expected a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int())

/** A query parameter holding a non-negative decimal number, with an optional fraction (`25`, `0.5`). */
export const decimalNumberParam = () =>
  z
    .string()
    .regex(/^\d{1,15}(\.\d{1,6})?$/, 'expected a number in decimal digits')
    .transform(Number)
    .pipe(z.number())
