/** @module TandemError and its subclasses (spec §5). */
import { codeInfo, type TandemErrorCode, type TandemErrorType } from './codes.ts'

export interface TandemErrorInit {
  code: TandemErrorCode
  message: string
  param?: string
  details?: Record<string, unknown>
  status?: number
  retryable?: boolean
  cause?: unknown
}

/** The wire shape of an error: what the HTTP envelope and WebSocket frames carry. */
export interface TandemErrorJSON {
  type: TandemErrorType
  code: TandemErrorCode
  message: string
  param?: string
  details?: Record<string, unknown>
}

/**
 * Base of every error Tandem throws. Recognise by `instanceof` or by `type`
 * (which survives `postMessage` and JSON).
 * @example
 * try { await tandem.tasks.update({ id, data }) }
 * catch (e) { if (isTandemError(e) && e.code === 'entity_claimed') showBusy(e.details) }
 */
export class TandemError extends Error {
  readonly code: TandemErrorCode
  readonly status: number
  readonly retryable: boolean
  readonly param?: string
  readonly details?: Record<string, unknown>

  constructor(init: TandemErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    const info = codeInfo(init.code)
    this.code = init.code
    this.status = init.status ?? info.status
    this.retryable = init.retryable ?? info.retryable
    if (init.param !== undefined) this.param = init.param
    if (init.details !== undefined) this.details = init.details
    this.name = this.type
  }

  /** The class name; survives JSON and `postMessage`, unlike the prototype chain. */
  get type(): TandemErrorType {
    return 'TandemError'
  }

  toJSON(): TandemErrorJSON {
    const out: TandemErrorJSON = { type: this.type, code: this.code, message: this.message }
    if (this.param !== undefined) out.param = this.param
    if (this.details !== undefined) out.details = this.details
    return out
  }
}

export class TandemValidationError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemValidationError'
  }
}
export class TandemClaimedError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemClaimedError'
  }
}
export class TandemAuthError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemAuthError'
  }
}
export class TandemNotFoundError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemNotFoundError'
  }
}
export class TandemConflictError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemConflictError'
  }
}
export class TandemRateLimitError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemRateLimitError'
  }
}
export class TandemConnectionError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemConnectionError'
  }
}

export interface StaleConflict {
  field: string
  yours: unknown
  theirs: unknown
}

/** A write based on `readAt` found the row changed since. */
export class TandemStaleContextError extends TandemError {
  override get type(): TandemErrorType {
    return 'TandemStaleContextError'
  }
  get readAt(): number {
    return Number(this.details?.['readAt'] ?? 0)
  }
  get currentSyncId(): number {
    return Number(this.details?.['currentSyncId'] ?? 0)
  }
  get conflicts(): StaleConflict[] {
    return (this.details?.['conflicts'] as StaleConflict[] | undefined) ?? []
  }
}
