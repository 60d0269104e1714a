import { describe, expect, it } from 'vitest'
import { paramPath } from './param-path.ts'

describe('paramPath', () => {
  it('puts indexes in brackets and names after dots, skipping empty parts', () => {
    expect(paramPath('operations', 2, 'title')).toBe('operations[2].title')
    expect(paramPath('operations[1]', 'tags', 0)).toBe('operations[1].tags[0]')
    expect(paramPath('', 'title')).toBe('title')
    expect(paramPath(0, 'onStale')).toBe('[0].onStale')
    expect(paramPath()).toBe('')
  })
})
