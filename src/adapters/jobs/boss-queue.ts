import PgBoss from 'pg-boss'
import { onJobsNotified } from '../../app/jobs/job-signal.ts'
import { claimJob } from '../../app/jobs/job-store.ts'
import { runJob, type RunDeps } from '../../app/jobs/run-job.ts'
import type { QueueOptions, RunningQueue } from './local-queue.ts'

const QUEUE = 'followthrough-jobs'

export interface BossOptions extends QueueOptions {
  readonly connectionString: string
  /** pg-boss's own schema (default `pgboss`); tests give each file its own. */
  readonly schema: string
}

/**
 * The PostgreSQL queue: pg-boss carries jobs between any number of `followthrough worker`
 * processes and the server, with retries and exponential backoff. The `jobs` table stays what
 * clients poll and is the outbox: a job enqueued inside a request's transaction is handed to
 * pg-boss here (under its own id, so handing it over twice is harmless).
 */
export async function startBossQueue(deps: RunDeps, opts: BossOptions): Promise<RunningQueue> {
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    schema: opts.schema,
    application_name: 'followthrough-jobs',
    max: 4,
    schedule: false,
  })
  boss.on('error', opts.onError)
  await boss.start()
  await boss.createQueue(QUEUE)
  const retryDelaySeconds = Math.max(1, Math.ceil(deps.retryBaseMs / 1000))

  await boss.work<{ orgId: string; id: string }>(
    QUEUE,
    { pollingIntervalSeconds: Math.max(0.5, opts.pollMs / 1000), batchSize: 1 },
    async (jobs) => {
      for (const job of jobs) {
        const claimed = await claimJob(deps.db, deps.now(), opts.leaseMs, job.data)
        if (claimed === null) continue
        // Thrown so that pg-boss retries it after its backoff; the jobs table already says why.
        if ((await runJob(deps, claimed)) === 'retrying') throw new Error(`job ${claimed.id} will be retried`)
      }
    },
  )

  let stopping = false
  let wake: (() => void) | null = null
  const dispatch = async (): Promise<void> => {
    const due = await deps.db.query<{ org_id: string; id: string; max_attempts: number }>(
      `select org_id, id, max_attempts from jobs where state = 'queued' and dispatched_at is null
        order by created_at limit 100`,
    )
    for (const j of due) {
      await boss.send(
        QUEUE,
        { orgId: j.org_id, id: j.id },
        {
          id: j.id,
          retryLimit: Number(j.max_attempts) - 1,
          retryDelay: retryDelaySeconds,
          retryBackoff: true,
        },
      )
      await deps.db.query('update jobs set dispatched_at = $3 where org_id = $1 and id = $2', [
        j.org_id,
        j.id,
        deps.now().toISOString(),
      ])
    }
  }
  const unsubscribe = onJobsNotified(() => wake?.())
  const loop = (async () => {
    while (!stopping) {
      try {
        await dispatch()
      } catch (error) {
        opts.onError(error)
      }
      if (stopping) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = null
    }
  })()
  return {
    stop: async () => {
      stopping = true
      unsubscribe()
      wake?.()
      await loop
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 })
    },
  }
}
