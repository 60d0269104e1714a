/** Type tests for `tandem.presence` (checked by `tsc`): the contract the framework bindings are written against. */
import type { ReadableAtom } from 'nanostores'
import { expectTypeOf } from 'vitest'
import type { PresenceApi, PresenceEntry, PresenceIntent, TandemClient } from '@tandem/core'
import { schema } from './fixtures.ts'

declare const tandem: TandemClient<typeof schema>

expectTypeOf(tandem.presence).toEqualTypeOf<PresenceApi>()
expectTypeOf(tandem.presence.list).toEqualTypeOf<ReadableAtom<readonly PresenceEntry[]>>()
expectTypeOf(tandem.presence.others).parameters.toEqualTypeOf<[target?: { model: string; id: string }]>()
expectTypeOf(tandem.presence.others()).toEqualTypeOf<ReadableAtom<readonly PresenceEntry[]>>()
expectTypeOf(tandem.presence.setIntent).parameter(0).toEqualTypeOf<PresenceIntent>()
expectTypeOf(tandem.presence.clearIntent).returns.toEqualTypeOf<void>()

expectTypeOf<PresenceIntent>().toEqualTypeOf<{ model: string; id: string; field?: string; action?: string }>()
expectTypeOf<PresenceEntry['participant']>().toEqualTypeOf<{ id: string; kind: 'human' | 'agent'; name?: string }>()
expectTypeOf<PresenceEntry['intent']>().toEqualTypeOf<PresenceIntent | null>()
expectTypeOf<PresenceEntry['self']>().toEqualTypeOf<boolean>()
expectTypeOf<PresenceEntry['connectedAt']>().toEqualTypeOf<string>()

// @ts-expect-error an intent needs a row id
tandem.presence.setIntent({ model: 'tasks' })
