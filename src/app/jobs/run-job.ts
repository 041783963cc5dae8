import { withOrgScope } from '../ports/org-scope.ts'
import type { Database } from '../ports/sql.ts'
import { describeFailure, isRefusal, retryDelayMs, type JobHandlers } from './job-handler.ts'
import { setJobProgress, settleJob, type ClaimedJob } from './job-store.ts'

export interface RunDeps {
  readonly db: Database
  readonly now: () => Date
  readonly handlers: JobHandlers
  /** The first retry's delay; doubled for each next one. */
  readonly retryBaseMs: number
  /** Progress is written at most this often (and once at the end). */
  readonly progressEveryMs?: number
}

export type RunOutcome = 'done' | 'retrying' | 'failed'

/** The database as one organization sees it: every statement and transaction through withOrgScope. */
export function scopedDatabase(db: Database, orgId: string): Database {
  return {
    kind: db.kind,
    query: (sql, params) => withOrgScope(db, orgId, (tx) => tx.query(sql, params)),
    exec: (sql) => withOrgScope(db, orgId, (tx) => tx.exec(sql)),
    transaction: (fn) => withOrgScope(db, orgId, fn),
    close: () => Promise.reject(new Error('A job does not close the database.')),
  }
}

/**
 * Runs a claimed job's function under its organization's row-level security and records how it
 * ended: done with its result; failed for good on a refusal or after its last attempt; otherwise
 * retrying after a doubling delay. Progress reports are written as they come, throttled, and all
 * of them before the outcome.
 */
export async function runJob(deps: RunDeps, job: ClaimedJob): Promise<RunOutcome> {
  const handler = deps.handlers[job.kind]
  let writes: Promise<void> = Promise.resolve()
  let lastWriteMs = 0
  let pending: unknown
  const write = (): void => {
    const value = pending
    pending = undefined
    lastWriteMs = Date.now()
    writes = writes.then(() => setJobProgress(deps.db, job, value)).catch(() => {})
  }
  const progress = (p: Readonly<Record<string, unknown>>): void => {
    pending = p
    if (Date.now() - lastWriteMs >= (deps.progressEveryMs ?? 200)) write()
  }
  try {
    if (handler === undefined) {
      throw Object.assign(new Error(`There is no job kind "${job.kind}".`), { code: 'job.unknown_kind' })
    }
    const result = await handler({
      orgId: job.orgId,
      jobId: job.id,
      payload: job.payload,
      actor: job.createdBy,
      attempt: job.attempt,
      db: scopedDatabase(deps.db, job.orgId),
      now: deps.now(),
      progress,
    })
    if (pending !== undefined) write()
    await writes
    await settleJob(deps.db, job, deps.now(), { state: 'done', result })
    return 'done'
  } catch (error) {
    if (pending !== undefined) write()
    await writes
    const failure = describeFailure(error)
    if (isRefusal(error) || job.attempt >= job.maxAttempts) {
      await settleJob(deps.db, job, deps.now(), { state: 'failed', error: failure })
      return 'failed'
    }
    const runAfter = new Date(deps.now().getTime() + retryDelayMs(job.attempt, deps.retryBaseMs))
    await settleJob(deps.db, job, deps.now(), { state: 'retrying', error: failure, runAfter })
    return 'retrying'
  }
}
