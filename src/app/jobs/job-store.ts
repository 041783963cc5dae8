import { randomUUID } from 'node:crypto'
import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'

export type JobState = 'queued' | 'running' | 'retrying' | 'done' | 'failed'

/** A job as a client polls it. */
export interface JobView {
  readonly id: string
  readonly kind: string
  readonly state: JobState
  /** What the job last said about its progress (e.g. `{ phase, rows, totalBytes }`); null before. */
  readonly progress: unknown
  readonly result: unknown
  /** `{ code, message, details }` of the last failure; null when none. */
  readonly error: unknown
  readonly attempts: number
  readonly maxAttempts: number
  readonly createdBy: string
  readonly createdAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
}

/** A job as its runner holds it. */
export interface ClaimedJob {
  readonly orgId: string
  readonly id: string
  readonly kind: string
  readonly payload: Record<string, unknown>
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number
  readonly maxAttempts: number
  readonly createdBy: string
}

export interface EnqueueInput {
  readonly orgId: string
  readonly kind: string
  readonly payload: Record<string, unknown>
  /**
   * The same (kind, key) enqueued twice is one job (its effect happens once): e.g.
   * `close:2026-01`, `digest:2026-W05`. A fresh key when absent.
   */
  readonly key?: string
  readonly actor: string
  readonly now: Date
  readonly maxAttempts?: number
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString()
      : new Date(String(value)).toISOString()

/** Adds a job (inside the caller's transaction, scoped or not); the existing one for a key seen before. */
export async function enqueueJob(
  tx: Queryable,
  input: EnqueueInput,
): Promise<{ id: string; created: boolean }> {
  const id = randomUUID()
  const key = input.key ?? id
  const inserted = await tx.query<{ id: string }>(
    `insert into jobs (org_id, id, kind, payload, idempotency_key, state, max_attempts, run_after, created_by, created_at)
     values ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $7)
     on conflict (org_id, kind, idempotency_key) do nothing returning id`,
    [
      input.orgId,
      id,
      input.kind,
      JSON.stringify(input.payload),
      key,
      input.maxAttempts ?? 5,
      input.now.toISOString(),
      input.actor,
    ],
  )
  if (inserted[0] !== undefined) return { id, created: true }
  const [existing] = await tx.query<{ id: string }>(
    'select id from jobs where org_id = $1 and kind = $2 and idempotency_key = $3',
    [input.orgId, input.kind, key],
  )
  if (existing === undefined) throw new Error(`The job ${input.kind} ${key} vanished while it was enqueued.`)
  return { id: existing.id, created: false }
}

/** A job of the organization, as a client polls it; null when there is none (or it is another's). */
export async function getJob(tx: Queryable, orgId: string, id: string): Promise<JobView | null> {
  const [r] = await tx.query<Record<string, unknown>>('select * from jobs where org_id = $1 and id = $2', [
    orgId,
    id,
  ])
  if (r === undefined) return null
  return {
    id: String(r.id),
    kind: String(r.kind),
    state: r.state as JobState,
    progress: r.progress ?? null,
    result: r.result ?? null,
    error: r.error ?? null,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    createdBy: String(r.created_by),
    createdAt: iso(r.created_at) ?? '',
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  }
}

const CLAIMABLE = `(state in ('queued', 'retrying') or (state = 'running' and lease_until < $1))`

function toClaimed(r: Record<string, unknown>): ClaimedJob {
  return {
    orgId: String(r.org_id),
    id: String(r.id),
    kind: String(r.kind),
    payload: (r.payload ?? {}) as Record<string, unknown>,
    attempt: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    createdBy: String(r.created_by),
  }
}

/**
 * Takes one job to run (as the owner: the runner serves every organization): queued, due for a
 * retry, or running with an expired lease (its runner died). With `id`, that job only, whenever it
 * is due (pg-boss decides when); without, the next one due by `now`. Null when there is none.
 */
export async function claimJob(
  db: Queryable,
  now: Date,
  leaseMs: number,
  which: { orgId: string; id: string } | 'next',
): Promise<ClaimedJob | null> {
  const at = now.toISOString()
  const lease = new Date(now.getTime() + leaseMs).toISOString()
  const pick =
    which === 'next'
      ? `(org_id, id) = (select org_id, id from jobs where ${CLAIMABLE} and run_after <= $1
                          order by run_after, created_at limit 1 for update skip locked)`
      : `org_id = $3 and id = $4 and ${CLAIMABLE}`
  const rows = await db.query<Record<string, unknown>>(
    `update jobs set state = 'running', attempts = attempts + 1, started_at = coalesce(started_at, $1),
            lease_until = $2 where ${pick} returning *`,
    which === 'next' ? [at, lease] : [at, lease, which.orgId, which.id],
  )
  return rows[0] === undefined ? null : toClaimed(rows[0])
}

/** Records what a run of the job ended with. */
export async function settleJob(
  db: Queryable,
  job: ClaimedJob,
  now: Date,
  outcome:
    | { state: 'done'; result: unknown }
    | { state: 'failed'; error: unknown }
    | { state: 'retrying'; error: unknown; runAfter: Date },
): Promise<void> {
  const at = now.toISOString()
  if (outcome.state === 'done') {
    await db.query(
      `update jobs set state = 'done', result = $3, error = null, finished_at = $4, lease_until = null
        where org_id = $1 and id = $2`,
      [job.orgId, job.id, JSON.stringify(outcome.result ?? null), at],
    )
  } else if (outcome.state === 'failed') {
    await db.query(
      `update jobs set state = 'failed', error = $3, finished_at = $4, lease_until = null where org_id = $1 and id = $2`,
      [job.orgId, job.id, JSON.stringify(outcome.error), at],
    )
  } else {
    await db.query(
      `update jobs set state = 'retrying', error = $3, run_after = $4, lease_until = null where org_id = $1 and id = $2`,
      [job.orgId, job.id, JSON.stringify(outcome.error), outcome.runAfter.toISOString()],
    )
  }
}

/** Stores a job's progress. */
export async function setJobProgress(db: Queryable, job: ClaimedJob, progress: unknown): Promise<void> {
  await db.query('update jobs set progress = $3 where org_id = $1 and id = $2', [
    job.orgId,
    job.id,
    JSON.stringify(progress),
  ])
}

/** Enqueues a job for the organization in its own scoped transaction. */
export async function enqueueScoped(
  db: Database,
  input: EnqueueInput,
): Promise<{ id: string; created: boolean }> {
  return withOrgScope(db, input.orgId, (tx) => enqueueJob(tx, input))
}
