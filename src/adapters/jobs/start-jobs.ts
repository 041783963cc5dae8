import type { JobHandlers } from '../../app/jobs/job-handler.ts'
import { notifyJobs } from '../../app/jobs/job-signal.ts'
import { enqueueScoped, type EnqueueInput } from '../../app/jobs/job-store.ts'
import type { Database } from '../../app/ports/sql.ts'
import { startBossQueue } from './boss-queue.ts'
import { defaultJobHandlers } from './job-handlers.ts'
import { startLocalQueue, type RunningQueue } from './local-queue.ts'
import { HOURLY_KINDS, startSchedule } from './schedule.ts'

export interface JobsDeps {
  readonly db: Database
  readonly now: () => Date
  /** PostgreSQL: the server pg-boss connects to (default DATABASE_URL). Unused on PGlite. */
  readonly databaseUrl?: string
  /** pg-boss's schema (default FOLLOWTHROUGH_BOSS_SCHEMA, else `pgboss`). */
  readonly bossSchema?: string
  /** The job kinds to run (default: import, close, overdue). */
  readonly handlers?: JobHandlers
  readonly pollMs?: number
  readonly leaseMs?: number
  /** The first retry's delay, doubled for each next one (pg-boss: whole seconds, at least 1). */
  readonly retryBaseMs?: number
  readonly onError?: (error: unknown) => void
  /** How often to enqueue the hourly kinds (overdue, notifications) for every organization; null: never. */
  readonly scheduleEveryMs?: number | null
}

export interface JobRunner {
  readonly backend: 'pg-boss' | 'local'
  /** Adds a job (idempotent by its key) and wakes the runners of this process. */
  enqueue(input: EnqueueInput): Promise<{ id: string; created: boolean }>
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>
}

/**
 * Starts running background jobs: through pg-boss on PostgreSQL, in this process on PGlite.
 * The server calls it at start and `stop()` at shutdown; `followthrough worker` runs it alone.
 */
export async function startJobs(deps: JobsDeps): Promise<JobRunner> {
  const run = {
    db: deps.db,
    now: deps.now,
    handlers: deps.handlers ?? defaultJobHandlers(),
    retryBaseMs: deps.retryBaseMs ?? 5_000,
  }
  const opts = {
    pollMs: deps.pollMs ?? 1_000,
    leaseMs: deps.leaseMs ?? 15 * 60_000,
    onError: deps.onError ?? ((error: unknown) => console.error('background job error:', error)),
  }
  const url = deps.databaseUrl ?? process.env.DATABASE_URL
  let queue: RunningQueue
  let backend: JobRunner['backend']
  if (deps.db.kind === 'postgres' && url !== undefined && url !== '') {
    queue = await startBossQueue(run, {
      ...opts,
      connectionString: url,
      schema: deps.bossSchema ?? process.env.FOLLOWTHROUGH_BOSS_SCHEMA ?? 'pgboss',
    })
    backend = 'pg-boss'
  } else {
    queue = await startLocalQueue(run, opts)
    backend = 'local'
  }
  const every = deps.scheduleEveryMs === undefined ? 60 * 60_000 : deps.scheduleEveryMs
  const hourly = HOURLY_KINDS.filter((kind) => run.handlers[kind] !== undefined)
  const stopSchedule =
    every === null ? async () => {} : startSchedule(deps.db, deps.now, hourly, every, opts.onError)
  return {
    backend,
    enqueue: async (input) => {
      const out = await enqueueScoped(deps.db, input)
      notifyJobs()
      return out
    },
    stop: async () => {
      await stopSchedule()
      await queue.stop()
    },
  }
}
