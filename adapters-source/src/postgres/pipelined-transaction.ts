/**
 * @module One transaction on a reserved connection, spending as few network
 * round trips as the store interface allows.
 *
 * postgres.js pipelines the statements sent on one connection without
 * waiting, and Postgres runs them in order: a read sees every write sent
 * before it. So nothing here waits for an answer nobody reads: BEGIN goes
 * out with the statements behind it, SAVEPOINT with the first statement of
 * its savepoint, writes without waiting. Each scope (the transaction, each
 * savepoint) keeps every statement it sent, and settles them all before it
 * ends: a savepoint before it returns (a failed statement rolls back that
 * savepoint and rejects it), the transaction before COMMIT (a failed one
 * rolls everything back). Either rejects with the first failure in send
 * order: the one that awaiting each statement would have thrown. Like
 * postgres.js's own scopes, a failed statement fails its scope even if the
 * caller caught the error.
 *
 * Three rules keep this exact (each guards against a postgres.js 3.4 behaviour
 * that only shows when statements are pipelined):
 * - COMMIT, ROLLBACK and ROLLBACK TO SAVEPOINT go out only once every
 *   statement before them is answered. postgres.js re-sends a cached
 *   statement that Postgres refused as stale (RevalidateCachedQuery and the
 *   like) at the end of the pipeline: behind a COMMIT it would run outside
 *   the transaction. The transaction-control statements are not prepared,
 *   so they are never re-sent out of order themselves.
 * - A statement not yet prepared on the connection (postgres.js then sends
 *   Parse/Describe and waits) goes only when nothing is in flight. Behind a
 *   statement that fails and is re-sent that way, its failed Parse would make
 *   Postgres skip the re-sent statement, which would then wait forever.
 *   Hence one connection for all commit transactions (`CommitConnection`),
 *   and `warm`: the statements known prepared on it.
 * - Only plain values are pipelined (null, strings, numbers, booleans; JSON
 *   goes as text and is cast in SQL). postgres.js serializes anything else
 *   itself and may fail doing so, and then hands that client-side error to
 *   the statement in flight, and later answers to the wrong statements.
 *
 * A statement that may not be pipelined waits until the connection is idle
 * and goes alone, as every statement did before.
 *
 * Optimistic transactions (the commit pipeline's batches) do not wait at the
 * end of each savepoint either: the whole batch goes out in one stream and
 * settles once, before COMMIT. Should any statement fail, the transaction is
 * rolled back and `fn` runs again strictly, where the failing savepoint alone
 * is refused. That needs an `fn` that may run twice (the commit pipeline's
 * keeps no state across runs) and costs a second run only when a write
 * fails in Postgres, which the pipeline's checks make rare.

 */
import postgres from 'postgres'

export type Rows = Record<string, unknown>[]
type Params = postgres.ParameterOrJSON<never>[]

/** The statements of one transaction, sent in call order on its connection. */
export interface Pipeline {
  /** How many statements were submitted so far: an answer read ahead is current while this has not moved. */
  readonly submitted: number
  /** Send a statement now, behind the ones before it; resolves to its answer. */
  query(text: string, params?: readonly unknown[], mapError?: (error: unknown) => unknown): Promise<Rows>
  /**
   * Send a statement whose answer is not needed. Resolves at once; the
   * enclosing savepoint or the commit settles it. (A value that is not plain
   * makes it wait for the connection, and resolve once done.)
   */
  write(text: string, params?: readonly unknown[], mapError?: (error: unknown) => unknown): Promise<void>
  /** Run `inner` in a savepoint: if it or any statement it sent fails, roll back to the savepoint and reject with the first failure. */
  savepoint<R>(inner: () => Promise<R>): Promise<R>
}

const noop = () => {}

/** Values postgres.js sends as they are: nothing for it to serialize, so nothing to fail before the statement reaches Postgres. */
const plain = (value: unknown): boolean => value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

/**
 * The connection is gone: Postgres ended the session (FATAL), the socket
 * failed, or postgres.js closed it. Nothing more may be sent on it (postgres.js
 * would throw from a timer), and it must not go back to the pool. Only these:
 * a live connection taken for lost would keep its transaction, and the
 * commit lock, open.
 */
const lostConnection = (error: unknown): boolean => {
  if (error instanceof postgres.PostgresError) return error.severity === 'FATAL' || error.severity === 'PANIC'
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown }
  return typeof code === 'string' && (code.startsWith('CONNECTION_') || typeof syscall === 'string')
}

interface Scope {
  /** Every statement sent in this scope, in send order. */
  sent: Promise<unknown>[]
}

/** What postgres.js caches a prepared statement under: its text and the types it infers (plain values: booleans, or unknown). */
const statementKey = (text: string, params: readonly unknown[]): string => `${params.map((p) => (typeof p === 'boolean' ? 'b' : '-')).join('')}:${text}`

/** The first failure in send order, once every statement of the scope is answered. */
async function firstFailure(scope: Scope): Promise<{ error: unknown } | null> {
  for (const result of await Promise.allSettled(scope.sent)) if (result.status === 'rejected') return { error: result.reason }
  return null
}

/** The one connection commit transactions run on (a client of one connection, used for nothing else). */
export interface CommitConnection {
  readonly sql: postgres.Sql
  /** Statements known prepared on it (see `statementKey`); cleared when it closes. */
  readonly warm: Set<string>
  /** Called when the connection was lost mid-transaction: postgres.js keeps stale state on it, so replace the client. */
  lost(): void
}

export function commitConnection(url: string, lost: (self: CommitConnection) => void): CommitConnection {
  const warm = new Set<string>()
  const self: CommitConnection = {
    sql: postgres(url, { max: 1, onnotice: noop, onclose: () => warm.clear() }),
    warm,
    lost: () => lost(self),
  }
  return self
}

/**
 * Run `fn` in one transaction on `connection`: BEGIN, `fn`'s statements,
 * then COMMIT, or ROLLBACK when `fn` throws or a statement failed. Resolves
 * once COMMIT is answered; rejects with the first failed statement, else with
 * what `fn` threw.
 */
export async function pipelinedTransaction<T>(connection: CommitConnection, fn: (pipeline: Pipeline) => Promise<T>, options: TransactionMode = {}): Promise<T> {
  if (!options.optimistic) return runTransaction(connection, fn, options)
  try {
    return await runTransaction(connection, fn, options)
  } catch (error) {
    if (!(error instanceof RunAgainStrictly)) throw error
    return runTransaction(connection, fn, { ...options, optimistic: false })
  }
}

export interface TransactionMode {
  /** `fn` may run twice: savepoints do not wait for their statements (see the module note). */
  optimistic?: boolean
  /**
   * Every statement is on a table whose shape never changes (Tandem's own
   * records), so postgres.js never re-sends one: COMMIT may go right behind
   * them, one round trip less. A failed statement makes Postgres answer
   * COMMIT with a rollback, and the transaction rejects with that failure.
   */
  commitBehind?: boolean
}

/** An optimistic transaction saw a statement fail: it was rolled back, and runs again with savepoints that wait. */
class RunAgainStrictly extends Error {}

async function runTransaction<T>(connection: CommitConnection, fn: (pipeline: Pipeline) => Promise<T>, mode: TransactionMode): Promise<T> {
  const { warm } = connection
  const optimistic = mode.optimistic === true
  /** Set once a statement had to go alone (see `submit`): postgres.js then waits on it, so COMMIT must too. */
  let sentAlone = false
  const conn = await connection.sql.reserve()
  /** Set once a statement failed because the connection went away. */
  let lost: { error: unknown } | null = null
  /** Settles after every statement sent so far (answers come back in order). */
  let last: Promise<unknown> = Promise.resolve()
  /** Rejects the statements not answered yet when the connection is lost: postgres.js drops those it had queued without settling them. */
  const unanswered = new Set<(error: unknown) => void>()
  let count = 0
  /** Statements that failed so far (an optimistic run gives up on the first). */
  let failures = 0
  let savepoints = 0
  const root: Scope = { sent: [] }
  let scope = root
  /** COMMIT or ROLLBACK was answered: the connection is idle again and may go back to the pool. */
  let ended = false

  const send = (text: string, params: readonly unknown[], prepare = true): Promise<Rows> => {
    if (lost) {
      const refused = Promise.reject(lost.error)
      refused.catch(noop)
      return refused
    }
    // execute(): postgres.js sends lazily, on first await; this keeps the send order the call order.
    const q = conn.unsafe<Rows>(text, params as Params, { prepare }).execute()
    const answer = new Promise<Rows>((resolve, reject) => {
      unanswered.add(reject)
      q.then(
        (rows) => {
          unanswered.delete(reject)
          resolve(rows)
        },
        (error: unknown) => {
          unanswered.delete(reject)
          if (!lost && lostConnection(error)) {
            // Set before anyone awaiting a statement resumes.
            lost = { error }
            for (const abort of unanswered) abort(error)
            unanswered.clear()
          }
          reject(error)
        },
      )
    })
    last = answer.then(noop, noop)
    return answer
  }

  const track = (own: Scope, answer: Promise<Rows>, mapError?: (error: unknown) => unknown): Promise<Rows> => {
    const mapped = mapError
      ? answer.catch((error: unknown) => {
          throw mapError(error)
        })
      : answer
    mapped.catch(() => (failures += 1))
    own.sent.push(mapped)
    return mapped
  }

  /** Set while a statement waits to be sent: those after it wait behind it, so the send order stays the call order. */
  let waiting: Promise<void> | null = null

  /** Send after every statement submitted before; `alone`: also only once all of them are answered. */
  const enqueue = (text: string, params: readonly unknown[], alone: boolean, prepare = true): Promise<Rows> => {
    count++
    if (!alone && !waiting) return send(text, params, prepare)
    const before = waiting ?? Promise.resolve()
    let handed!: () => void
    const mine = new Promise<void>((resolve) => (handed = resolve))
    waiting = mine
    return before.then(async () => {
      if (alone) await last
      try {
        return send(text, params, prepare)
      } finally {
        handed()
        if (waiting === mine) waiting = null
      }
    })
  }

  /** Send in the current scope: pipelined, or alone when the module note says so. */
  const submit = (text: string, params: readonly unknown[], mapError?: (error: unknown) => unknown): Promise<Rows> => {
    const allPlain = params.every(plain)
    const key = params.length > 0 && allPlain ? statementKey(text, params) : null
    const alone = params.length > 0 && (!allPlain || !warm.has(key!))
    if (alone) sentAlone = true
    const answer = enqueue(text, params, alone)
    if (key !== null) {
      // Prepared once answered; after a failure maybe not (postgres.js drops a statement it re-sends).
      answer.then(
        () => warm.add(key),
        () => warm.delete(key),
      )
    }
    return track(scope, answer, mapError)
  }

  /** Transaction control: not prepared, so postgres.js never re-sends it out of order. */
  const control = (text: string): Promise<Rows> => track(scope, enqueue(text, [], false, false))

  const end = async (statement: 'COMMIT' | 'ROLLBACK'): Promise<{ rows: Rows } | { error: unknown }> => {
    try {
      const rows = await enqueue(statement, [], false, false)
      ended = true
      return { rows }
    } catch (error) {
      // Unless the connection is gone, a failed COMMIT still ends the transaction (it rolls back).
      ended = !lostConnection(error)
      return { error }
    }
  }

  const pipeline: Pipeline = {
    get submitted() {
      return count
    },
    query: (text, params = [], mapError) => submit(text, params, mapError),
    write(text, params = [], mapError) {
      const done = submit(text, params, mapError)
      // A value postgres.js serializes itself: its failure may be client-side, and surfaces here, as before.
      return params.every(plain) ? Promise.resolve() : done.then(noop)
    },
    async savepoint<R>(inner: () => Promise<R>): Promise<R> {
      const parent = scope
      const name = `s${savepoints++}`
      const own: Scope = { sent: [] }
      scope = own
      try {
        control(`SAVEPOINT ${name}`)
        const value = await inner()
        if (optimistic) {
          // Not waited for: the transaction settles these before COMMIT, and any failure runs it all again strictly.
          parent.sent.push(...own.sent)
          return value
        }
        const failure = await firstFailure(own)
        if (failure) throw failure.error
        return value
      } catch (error) {
        const failure = await firstFailure(own)
        // Part of the enclosing scope: should it fail, the transaction stays aborted, and that scope fails with it.
        scope = parent
        await control(`ROLLBACK TO SAVEPOINT ${name}`).catch(noop)
        throw failure ? failure.error : error
      } finally {
        scope = parent
      }
    },
  }

  try {
    control('BEGIN')
    let outcome: { value: T } | { error: unknown }
    try {
      outcome = { value: await fn(pipeline) }
    } catch (error) {
      outcome = { error }
    }
    if (mode.commitBehind && !('error' in outcome) && !sentAlone && !lost) {
      const done = end('COMMIT')
      const failure = await firstFailure(root)
      const answer = await done
      if (failure) throw failure.error
      return committed(answer, outcome.value)
    }
    const failure = await firstFailure(root)
    if (optimistic && failures > 0 && !lost) {
      // Some commit's statement failed (and maybe aborted those after it): only a strict run tells which commit to refuse.
      await end('ROLLBACK')
      if (ended) throw new RunAgainStrictly()
      throw failure ? failure.error : new Error('postgresStore: a statement failed and the transaction could not be rolled back')
    }
    if (failure || 'error' in outcome) {
      // (Should ROLLBACK fail, the connection is gone, and the transaction with it.)
      await end('ROLLBACK')
      throw failure ? failure.error : (outcome as { error: unknown }).error
    }
    return committed(await end('COMMIT'), outcome.value)
  } finally {
    if (ended) conn.release()
    else if (lost) connection.lost()
  }
}

/** `value`, once COMMIT's answer says it committed. */
function committed<T>(done: { rows: Rows } | { error: unknown }, value: T): T {
  if ('error' in done) throw done.error
  const command = (done.rows as Rows & { command?: string }).command
  if (command !== 'COMMIT') throw new Error(`postgresStore: the transaction was rolled back (COMMIT answered ${command})`)
  return value
}
