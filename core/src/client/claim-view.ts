/** @module `tandem.claimView()`: one target's claim state as a store, what a `useClaim` hook shows. */
import { TandemValidationError } from '../errors/index.ts'
import type { ClaimTarget } from '../protocol/index.ts'
import type { Schema } from '../schema/model.ts'
import { validateId } from '../schema/validate.ts'
import type { ClaimsClient } from './claims-client.ts'
import { selectStore, shallowEqual } from './reactive.ts'
import type { ClaimView, ClaimViewStore, ModelApi } from './types.ts'

/** Holder and "mine" by reference, the queue member by member: a new broadcast with the same line is no change. */
const viewEqual = (a: ClaimView, b: ClaimView) => a.holder === b.holder && a.mine === b.mine && a.heldByMe === b.heldByMe && shallowEqual(a.queue, b.queue)

/**
 * Build the store for one target from the model's claim verbs (`claim.state`, `claim.queue`) and this
 * client's own claims, so the three framework bindings only tie it to their lifecycle.
 */
export function createClaimView<R>(
  schema: Schema,
  claims: ClaimsClient,
  models: Record<string, ModelApi<any> | undefined>,
  args: { model: string; id: string; field?: string | undefined },
): ClaimViewStore<R> {
  const { model, id, field } = args
  const api = models[model]?.claim
  if (!schema.modelNames.includes(model) || !api)
    throw new TandemValidationError({ code: 'unknown_model', message: `Unknown model "${model}"`, param: 'model' })
  validateId(id)
  if (field !== undefined && !Object.hasOwn(schema.models[model]!.shape, field))
    throw new TandemValidationError({ code: 'unknown_field', message: `Unknown field "${field}" on model "${model}"`, param: 'field' })
  const target: ClaimTarget = { model, id, ...(field !== undefined ? { field } : {}) }
  const at = { id, ...(field !== undefined ? { field } : {}) }
  const store = selectStore<ClaimView>(() => {
    const mine = claims.ownOn(target)
    return { holder: api.state(at), queue: api.queue(at), mine, heldByMe: mine?.status === 'held' }
  }, viewEqual)
  return Object.assign(store, {
    target,
    claim: (options: Parameters<ClaimViewStore<R>['claim']>[0] = {}) => api({ ...options, ...at }) as never,
    release: () => api.release(at),
  })
}
