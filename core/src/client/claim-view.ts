/** @module `tandem.claimView()`: one target's claim state as a store, what a `useClaim` hook shows. */
import type { ClaimTarget } from '../protocol/index.ts'
import type { ClaimsClient } from './claims-client.ts'
import { selectStore, shallowEqual } from './reactive.ts'
import type { ClaimApi, ClaimView, ClaimViewStore } from './types.ts'

/** Holder and "mine" by reference, the queue member by member: a new broadcast with the same line is no change. */
const viewEqual = (a: ClaimView, b: ClaimView) => a.holder === b.holder && a.mine === b.mine && a.heldByMe === b.heldByMe && shallowEqual(a.queue, b.queue)

/**
 * Build the store for `target` from the model's claim verbs (`claim.state`, `claim.queue`) and this
 * client's own claims, so the three framework bindings only tie it to their lifecycle.
 */
export function createClaimView<R>(claims: ClaimsClient, api: ClaimApi<R>, target: ClaimTarget): ClaimViewStore<R> {
  const { id } = target
  const field = target.field as (keyof R & string) | undefined
  const at = { id, ...(field !== undefined ? { field } : {}) }
  const store = selectStore<ClaimView>(() => {
    const mine = claims.ownOn(target)
    return { holder: api.state(at), queue: api.queue(at), mine, heldByMe: mine?.status === 'held' }
  }, viewEqual)
  return Object.assign(store, {
    target,
    claim: (args: Parameters<ClaimViewStore<R>['claim']>[0] = {}) => api({ ...args, ...at }),
    release: () => api.release(at),
  })
}
