/**
 * @module Durations on the wire: one validator for every lease, wait and
 * session lifetime. A duration is a whole number in the field's own unit, or
 * a string such as `"90s"`; either form must be finite, above zero and
 * within the field's documented range, so nothing downstream ever sees a
 * date it cannot represent or a timer that overflows.
 */
import { z } from 'zod'

export interface DurationLimits {
  /** The field, as named in messages (`ttl`, `timeoutMs`). */
  name: string
  /** What a bare number means: milliseconds or seconds. */
  unit: 'ms' | 's'
  minMs: number
  maxMs: number
}

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const pattern = /^(\d+)(ms|s|m|h|d)$/

/** A claim's lease: 1 ms to 24 h (well inside what a timer can wait). */
export const claimTtlLimits: DurationLimits = { name: 'ttl', unit: 'ms', minMs: 1, maxMs: 24 * unitMs.h }
/** How long a claim may wait in line: 1 ms to 24 h. */
export const claimTimeoutLimits: DurationLimits = { name: 'timeoutMs', unit: 'ms', minMs: 1, maxMs: 24 * unitMs.h }
/** A session token's lifetime: 2 s to 7 days. */
export const sessionTtlLimits: DurationLimits = { name: 'ttl', unit: 's', minMs: 2 * unitMs.s, maxMs: 7 * unitMs.d }

/** `86400000` → `"24 h"`: the largest unit that divides the value (days from two days on). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % unitMs[unit] === 0 && (unit !== 'd' || ms >= 2 * unitMs.d)) return `${ms / unitMs[unit]} ${unit}`
  }
  return `${ms} ms`
}

/** What a refused duration is told: the range and the accepted forms. */
export function durationRule(limits: DurationLimits): string {
  const number = limits.unit === 'ms' ? 'milliseconds' : 'seconds'
  const range = `${formatDuration(limits.minMs)} to ${formatDuration(limits.maxMs)}`
  return `${limits.name} must be from ${range}: a whole number of ${number}, or a whole number with a unit (ms, s, m, h, d) such as "90s", "15m" or "2h"`
}

/** The duration in milliseconds, or null when it is malformed or out of range. */
export function durationMs(value: unknown, limits: DurationLimits): number | null {
  let ms: number
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return null
    ms = value * (limits.unit === 'ms' ? 1 : 1000)
  } else if (typeof value === 'string') {
    const m = pattern.exec(value.trim())
    if (!m) return null
    ms = Number(m[1]) * unitMs[m[2] as keyof typeof unitMs]
  } else {
    return null
  }
  return Number.isFinite(ms) && ms >= limits.minMs && ms <= limits.maxMs ? ms : null
}

/** A zod schema for one duration field: accepts a number or a string, outputs milliseconds. */
export function durationSchema(limits: DurationLimits) {
  const rule = durationRule(limits)
  return z.union([z.number(), z.string()], { error: rule }).transform((value, ctx) => {
    const ms = durationMs(value, limits)
    if (ms !== null) return ms
    ctx.addIssue({ code: 'custom', message: rule })
    return z.NEVER
  })
}
