import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatClaimToken, parseClaimToken } from './claim-token.ts'

describe('claim tokens', () => {
  it('parse what format builds', () => {
    const parts = { claimId: 'clm_01m89ejdek619ke885d4pzw5c5', fence: 42, secret: 'aB3_-xYz09QwErTy' }
    const token = formatClaimToken(parts)
    expect(token).toBe('ct_clm_01m89ejdek619ke885d4pzw5c5.42.aB3_-xYz09QwErTy')
    expect(parseClaimToken(token)).toEqual(parts)
  })

  it.each([
    ['empty', ''],
    ['no prefix', 'clm_abc.1.secret'],
    ['prefix only', 'ct_'],
    ['no claim id', 'ct_.1.secret'],
    ['not a claim id', 'ct_usr_abc.1.secret'],
    ['missing secret', 'ct_clm_abc.1'],
    ['empty secret', 'ct_clm_abc.1.'],
    ['fence not a number', 'ct_clm_abc.x.secret'],
    ['fence too long', `ct_clm_abc.${'9'.repeat(40)}.secret`],
    ['extra part', 'ct_clm_abc.1.secret.more'],
    ['a path in the id', 'ct_clm_abc/../../x.1.secret'],
    ['whitespace', ' ct_clm_abc.1.secret'],
  ])('a garbage token (%s) parses to null', (_what, token) => {
    expect(parseClaimToken(token)).toBeNull()
  })

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (value) => parseClaimToken(value) === null))
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => parseClaimToken(`ct_${s}`)).not.toThrow()
      }),
    )
  })
})
