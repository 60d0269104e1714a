import { describe, expect, it } from 'vitest'
import { TandemValidationError } from '../errors/index.ts'
import { defineSchema, model } from '../schema/index.ts'
import { z } from 'zod'
import { checkClaimTarget, claimForWrite, claimsConcerning, conflicts, holderFor, queueFor, writeTouches } from './claim-rules.ts'
import type { ClaimState, ClaimTarget } from './claims.ts'

const row = { model: 'tasks', id: 't1' }
const whole: ClaimTarget = { ...row }
const title: ClaimTarget = { ...row, field: 'title' }
const points: ClaimTarget = { ...row, field: 'points' }

const state = (id: string, target: ClaimTarget, status: 'active' | 'queued'): ClaimState => ({
  id,
  status,
  target,
  action: id,
  heldBy: { id, kind: 'agent' },
  position: status === 'active' ? 0 : 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: status === 'active' ? '2026-01-01T00:00:30.000Z' : null,
})

describe('claim coverage rules', () => {
  it('a whole-row claim conflicts with every claim on its row, a field claim only with its field', () => {
    expect(conflicts(whole, title)).toBe(true)
    expect(conflicts(title, whole)).toBe(true)
    expect(conflicts(title, { ...title })).toBe(true)
    expect(conflicts(title, points)).toBe(false)
    expect(conflicts(whole, { model: 'tasks', id: 't2' })).toBe(false)
    expect(conflicts(whole, { model: 'notes', id: 't1' })).toBe(false)
  })

  it('a write touches a whole-row claim always, a field claim when it sets that field or deletes the row', () => {
    expect(writeTouches(whole, ['points'])).toBe(true)
    expect(writeTouches(title, ['title', 'points'])).toBe(true)
    expect(writeTouches(title, ['points'])).toBe(false)
    expect(writeTouches(title, null)).toBe(true)
  })

  it('the token for a write: a whole-row claim first, else a field claim on a written field, never a field claim for a delete', () => {
    const held = [{ target: title }, { target: whole }, { target: { model: 'tasks', id: 'other' } }]
    expect(claimForWrite(held, row, ['points'])).toBe(held[1])
    expect(claimForWrite([{ target: title }], row, ['title'])?.target).toBe(title)
    expect(claimForWrite([{ target: title }], row, ['points'])).toBeUndefined()
    expect(claimForWrite([{ target: title }], row, null)).toBeUndefined()
    expect(claimForWrite([{ target: title }], { model: 'tasks', id: 'other' }, ['title'])).toBeUndefined()
  })

  it('the holder shown for a field is the claim covering it; for the row, the whole-row claim first', () => {
    const claims = [state('t', title, 'active'), state('w', whole, 'queued'), state('p', points, 'active')]
    expect(holderFor(claims, 'title')?.id).toBe('t')
    expect(holderFor(claims, 'notes')).toBeNull()
    expect(holderFor(claims, undefined)?.id).toBe('t')
    const withWhole = [state('w', whole, 'active'), state('t', title, 'queued')]
    expect(holderFor(withWhole, 'title')?.id).toBe('w')
    expect(holderFor(withWhole, undefined)?.id).toBe('w')
  })

  it('the line for a target holds the waiters that would conflict with it', () => {
    const claims = [state('p', points, 'active'), state('t', title, 'queued'), state('w', whole, 'queued'), state('p2', points, 'queued')]
    expect(queueFor(claims, 'title').map((c) => c.id)).toEqual(['t', 'w'])
    expect(queueFor(claims, undefined).map((c) => c.id)).toEqual(['t', 'w', 'p2'])
    expect(claimsConcerning(claims, 'points').map((c) => c.id)).toEqual(['p', 'w', 'p2'])
  })

  it('a claim names a model of the schema and one of its fields', () => {
    const schema = defineSchema({ tasks: model({ title: z.string() }) })
    expect(() => checkClaimTarget(schema, { model: 'tasks', field: 'title' })).not.toThrow()
    expect(() => checkClaimTarget(schema, { model: 'tasks', field: 'nope' })).toThrow(TandemValidationError)
    expect(() => checkClaimTarget(schema, { model: 'tasks', field: '__proto__' })).toThrow(expect.objectContaining({ code: 'unknown_field' }))
    expect(() => checkClaimTarget(schema, { model: 'nope' })).toThrow(expect.objectContaining({ code: 'unknown_model' }))
  })
})
