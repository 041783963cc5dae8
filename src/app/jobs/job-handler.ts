import type { Database } from '../ports/sql.ts'

/** What a job's function gets: the database as its organization sees it (row-level security). */
export interface JobContext {
  readonly orgId: string
  readonly jobId: string
  readonly payload: Readonly<Record<string, unknown>>
  /** Who enqueued the job, for the audit log. */
  readonly actor: string
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number
  readonly db: Database
  readonly now: Date
  /** Reports progress for pollers; cheap to call often (writes are throttled). */
  progress(progress: Readonly<Record<string, unknown>>): void
}

/**
 * A job kind's function: resolves to the job's result (JSON). Throwing a refusal (an error with a
 * stable `area.reason` code) fails the job for good; any other error is retried with backoff. A
 * retry may follow a run whose effect was stored but whose success was not recorded, so a handler
 * must be idempotent: imports are, a close is refused once done (see close in the handlers).
 */
export type JobHandler = (ctx: JobContext) => Promise<unknown>

export type JobHandlers = Readonly<Record<string, JobHandler>>

/** The delay before retry number `attempt` (1 = the first retry): doubling from `baseMs`, at most an hour. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 60 * 60 * 1000)
}

/** An error with a stable code (DomainError, CloseError, …): an expected refusal, not worth a retry. */
export function isRefusal(error: unknown): error is Error & { code: string; details?: unknown } {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^[a-z]+\.[a-z_]+$/.test(code)
}

/** A failure as stored for pollers: a refusal's code, message and details; otherwise its message. */
export function describeFailure(error: unknown): { code: string; message: string; details: unknown } {
  if (isRefusal(error)) {
    const e = error as Error & { code: string; details?: unknown; issues?: unknown }
    return {
      code: e.code,
      message: e.message,
      details: e.details ?? (e.issues === undefined ? {} : { issues: e.issues }),
    }
  }
  return { code: 'job.error', message: error instanceof Error ? error.message : String(error), details: {} }
}
